#!/usr/bin/env node
// Turns the JSON of one tools/bench_sql.sh run (visiondb's Google Benchmark output and the peers'
// figures) into the table of docs/performance.md's SQL section, between its BEGIN/END markers.
//   node tools/bench_sql_report.js --results build/bench-results --doc docs/performance.md
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');

const BEGIN = '<!-- BEGIN sql-bench: written by tools/bench_sql.sh -->';
const END = '<!-- END sql-bench -->';

function args() {
  const a = { results: 'build/bench-results', doc: 'docs/performance.md' };
  for (let i = 2; i < process.argv.length; i += 2) a[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];
  return a;
}

const readJson = (f) => (fs.existsSync(f) ? JSON.parse(fs.readFileSync(f, 'utf8')) : null);

// Google Benchmark JSON -> {name: {threads: {ms, rows_per_s, label, error}}}
function ours(sqlJson) {
  const out = {};
  for (const b of sqlJson?.benchmarks || []) {
    const m = b.name.match(/^BM_Sql\/([a-z0-9_]+)\/threads:(\d+)/);
    if (!m) continue;
    const entry = (out[m[1]] ||= {});
    entry[m[2]] = b.error_occurred
      ? { error: b.error_message }
      : { ms: toMs(b.real_time, b.time_unit), rows_per_s: b.items_per_second, label: b.label || '' };
  }
  return out;
}

function toMs(t, unit) {
  return unit === 'ns' ? t / 1e6 : unit === 'us' ? t / 1e3 : unit === 's' ? t * 1e3 : t;
}

function csvLoad(csvJson) {
  const out = {};
  for (const b of csvJson?.benchmarks || []) {
    const m = b.name.match(/^BM_Csv_Load\/threads:(\d+)/);
    if (m) out[m[1]] = { ms: toMs(b.real_time, b.time_unit), mb_per_s: b.bytes_per_second / 1e6, mb: b.MB };
  }
  return out;
}

const fmtMs = (ms) => (ms === undefined || ms === null || Number.isNaN(ms) ? 'n/a' : ms >= 100 ? ms.toFixed(0) : ms.toFixed(1));

// Do two first rows agree? Numbers within a relative 1e-6 (float sums differ in their last digits).
function agree(ourLabel, peerRow) {
  if (ourLabel === undefined || !peerRow) return null;
  const a = ourLabel.replace(/^first=/, '').split('|');
  const b = peerRow.map(String);
  if (a.length !== b.length) return false;
  return a.every((x, i) => {
    const nx = Number(x), ny = Number(b[i]);
    if (x !== '' && !Number.isNaN(nx) && !Number.isNaN(ny)) return Math.abs(nx - ny) <= 1e-6 * Math.max(1, Math.abs(nx), Math.abs(ny));
    return x === b[i];
  });
}

function cpuName() {
  const cpus = os.cpus();
  return cpus.length ? `${cpus[0].model.trim()}, ${cpus.length} logical CPUs` : 'unknown CPU';
}

function main() {
  const a = args();
  const queries = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'bench', 'sql_bench_queries.json'), 'utf8')).queries;
  const sql = ours(readJson(path.join(a.results, 'sql.json')));
  const csv = csvLoad(readJson(path.join(a.results, 'csv.json')));
  const peers = readJson(path.join(a.results, 'peers.json')) || {};
  const duck = peers.duckdb?.threads || {};
  const lite = peers.sqlite || {};
  const rows = duck['2']?.rows || duck['1']?.rows;

  const lines = [];
  lines.push(BEGIN);
  lines.push('');
  const loadFile = path.join(a.results, 'loadavg.txt');
  const load = fs.existsSync(loadFile) ? fs.readFileSync(loadFile, 'utf8').trim().split('\n').join('; ') : 'not recorded';
  lines.push(`Run of ${peers.generated || new Date().toISOString()} on ${cpuName()}, load average (1, 5, 15 min) ${load}:`);
  lines.push('the machine is shared with other work, so compare within a row, not across runs;');
  lines.push(`t has ${rows ? rows.toLocaleString('en-US') : '?'} rows. DuckDB ${peers.duckdb?.version || '?'} (median of 5 runs after a warm-up),`);
  lines.push(`SQLite ${lite.version || '?'} (best of 2, one thread), visiondb (Google Benchmark, mean over >= 1 s). Times in ms.`);
  lines.push('');
  lines.push('| query | visiondb 1 thr | visiondb 2 thr | visiondb rows/s (2 thr) | DuckDB 1 thr | DuckDB 2 thr | SQLite | visiondb / DuckDB (2 thr) | answers agree |');
  lines.push('|---|---:|---:|---:|---:|---:|---:|---:|:---:|');
  for (const q of queries) {
    const o = sql[q.name] || {};
    const d1 = duck['1']?.queries?.[q.name], d2 = duck['2']?.queries?.[q.name];
    const s = lite.queries?.[q.name];
    const cell = (x) => (x?.unsupported ? '—' : x?.error ? 'error' : fmtMs(x?.ms));
    const ratio = o['2']?.ms && d2?.ms ? (o['2'].ms / d2.ms).toFixed(2) + 'x' : 'n/a';
    const rps = o['2']?.rows_per_s ? (o['2'].rows_per_s / 1e6).toFixed(0) + ' M' : 'n/a';
    const checks = [agree(o['2']?.label, d2?.first_rows?.[0]), agree(o['2']?.label, s?.first_rows?.[0])];
    const agreeCell = checks.every((c) => c === null) ? 'n/a' : checks.some((c) => c === false) ? 'NO' : 'yes';
    lines.push(`| ${q.title} | ${cell(o['1'])} | ${cell(o['2'])} | ${rps} | ${cell(d1)} | ${cell(d2)} | ${cell(s)} | ${ratio} | ${agreeCell} |`);
  }
  const l1 = csv['1'], l2 = csv['2'];
  const mb = l2?.mb || l1?.mb;
  const dl1 = duck['1']?.load_ms, dl2 = duck['2']?.load_ms;
  const loadRatio = l2?.ms && dl2 ? (l2.ms / dl2).toFixed(2) + 'x' : 'n/a';
  lines.push(`| CSV load of t (${mb ? mb.toFixed(0) + ' MB' : '?'}) | ${fmtMs(l1?.ms)} | ${fmtMs(l2?.ms)} | ${l2?.mb_per_s ? l2.mb_per_s.toFixed(0) + ' MB/s' : 'n/a'} | ${fmtMs(dl1)} | ${fmtMs(dl2)} | ${fmtMs(lite.load_ms)} | ${loadRatio} | |`);
  lines.push('');
  const missing = queries.filter((q) => !sql[q.name]);
  if (missing.length === queries.length) lines.push('visiondb\'s query side did not run in this run (bench/sql_bench was not built: the engine was not merged yet).');
  for (const q of queries) {
    for (const t of ['1', '2']) {
      const e = sql[q.name]?.[t]?.error;
      if (e) lines.push(`- visiondb ${q.title}, ${t} thread(s): error: ${e.split('\n')[0]}`);
    }
  }
  lines.push(END);

  let doc = fs.existsSync(a.doc) ? fs.readFileSync(a.doc, 'utf8') : '# Performance\n\n## SQL\n\n';
  const block = lines.join('\n');
  if (doc.includes(BEGIN) && doc.includes(END)) {
    doc = doc.slice(0, doc.indexOf(BEGIN)) + block + doc.slice(doc.indexOf(END) + END.length);
  } else {
    doc = doc.replace(/\s*$/, '\n\n') + block + '\n';
  }
  fs.writeFileSync(a.doc, doc);
  process.stdout.write(block + '\n');
}

main();
