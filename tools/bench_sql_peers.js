#!/usr/bin/env node
// The peers' side of the SQL benchmark: the queries of bench/sql_bench_queries.json and the CSV
// load of t.csv, in DuckDB (@duckdb/node-api, at 2 and 1 threads) and SQLite (the sqlite3 CLI),
// on the files tools/gen_bench_data writes. Run by tools/bench_sql.sh, which installs DuckDB into
// tools/peers/node_modules (git-ignored) and runs visiondb's side in the same run.
//
//   node tools/bench_sql_peers.js --data DIR --out peers.json [--threads 2,1] [--repeat 5] [--no-sqlite]
'use strict';

const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

function parseArgs(argv) {
  const args = { data: null, out: null, threads: [2, 1], repeat: 5, loadRepeat: 2, sqlite: true, duckdb: true };
  for (let i = 2; i < argv.length; ++i) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--data') args.data = next();
    else if (a === '--out') args.out = next();
    else if (a === '--threads') args.threads = next().split(',').map(Number);
    else if (a === '--repeat') args.repeat = Number(next());
    else if (a === '--load-repeat') args.loadRepeat = Number(next());
    else if (a === '--no-sqlite') args.sqlite = false;
    else if (a === '--no-duckdb') args.duckdb = false;
    else throw new Error(`unknown argument ${a}`);
  }
  if (!args.data || !args.out) throw new Error('usage: bench_sql_peers.js --data DIR --out FILE [--threads 2,1]');
  return args;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

// Result rows as plain JSON (BigInt as number when safe, else string; doubles rounded for display).
function plainRows(rows) {
  return rows.map((r) =>
    r.map((v) => {
      if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
      if (v !== null && typeof v === 'object') return String(v);
      return v;
    })
  );
}

function loadSetup() {
  const file = path.join(__dirname, '..', 'bench', 'sql_bench_queries.json');
  return JSON.parse(fs.readFileSync(file, 'utf8')).setup || {};
}

function loadQueries() {
  const file = path.join(__dirname, '..', 'bench', 'sql_bench_queries.json');
  return JSON.parse(fs.readFileSync(file, 'utf8')).queries;
}

async function runDuckDB(args, queries, setup) {
  const duckdb = require(path.join(__dirname, 'peers', 'node_modules', '@duckdb', 'node-api'));
  const out = { version: null, threads: {} };
  const tCsv = path.resolve(args.data, 't.csv');
  const dCsv = path.resolve(args.data, 'd.csv');
  for (const threads of args.threads) {
    const instance = await duckdb.DuckDBInstance.create(':memory:', { threads: String(threads) });
    const con = await instance.connect();
    if (!out.version) out.version = (await con.runAndReadAll('SELECT version()')).getRows()[0][0];
    const loads = [];
    for (let r = 0; r < args.loadRepeat; ++r) {
      const t0 = performance.now();
      await con.run(`CREATE OR REPLACE TABLE t AS SELECT * FROM read_csv('${tCsv}', header = true)`);
      loads.push(performance.now() - t0);
    }
    await con.run(`CREATE OR REPLACE TABLE d AS SELECT * FROM read_csv('${dCsv}', header = true)`);
    const rows = Number((await con.runAndReadAll('SELECT COUNT(*) FROM t')).getRows()[0][0]);
    // The tables the dialect queries add (pred, labels), from the same formulas as visiondb's.
    const predRows = Math.max(1000, Math.floor(rows / 100));
    for (const stmt of setup.duckdb || []) await con.run(stmt.replaceAll('{pred_rows}', String(predRows)));
    const entry = { load_ms: Math.min(...loads), load_runs_ms: loads, rows, queries: {} };
    for (const q of queries) {
      if (q.duckdb === null) {
        entry.queries[q.name] = { unsupported: true };
        continue;
      }
      const sql = q.duckdb || q.visiondb;
      const times = [];
      let result = null;
      await con.runAndReadAll(sql);  // warm-up
      for (let r = 0; r < args.repeat; ++r) {
        const t0 = performance.now();
        const reader = await con.runAndReadAll(sql);
        times.push(performance.now() - t0);
        if (!result) result = plainRows(reader.getRows().slice(0, 3));
      }
      entry.queries[q.name] = { ms: median(times), runs_ms: times, first_rows: result };
      process.stderr.write(`duckdb threads=${threads} ${q.name}: ${median(times).toFixed(1)} ms\n`);
    }
    process.stderr.write(`duckdb threads=${threads} csv load: ${entry.load_ms.toFixed(0)} ms\n`);
    out.threads[threads] = entry;
    con.closeSync?.();
    instance.closeSync?.();
  }
  return out;
}

function runSqlite(args, queries) {
  const version = spawnSync('sqlite3', ['--version'], { encoding: 'utf8' }).stdout.trim().split(' ')[0];
  const db = path.resolve(args.data, 'bench.sqlite');
  fs.rmSync(db, { force: true });
  // The load: typed tables, then the CLI's CSV import (one process, timed as a whole).
  const load = [
    'PRAGMA journal_mode = OFF;',
    'PRAGMA synchronous = OFF;',
    'CREATE TABLE t (id INTEGER, k INTEGER, cat TEXT, path TEXT, x REAL, y INTEGER);',
    `.import --csv --skip 1 ${path.resolve(args.data, 't.csv')} t`,
  ].join('\n');
  const t0 = performance.now();
  let r = spawnSync('sqlite3', [db], { input: load, encoding: 'utf8', maxBuffer: 1 << 26 });
  const loadMs = performance.now() - t0;
  if (r.status !== 0) throw new Error(`sqlite3 load failed: ${r.stderr}`);
  const loadD = [
    'CREATE TABLE d (k INTEGER, grp TEXT, w REAL);',
    `.import --csv --skip 1 ${path.resolve(args.data, 'd.csv')} d`,
  ].join('\n');
  r = spawnSync('sqlite3', [db], { input: loadD, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`sqlite3 load of d failed: ${r.stderr}`);
  process.stderr.write(`sqlite csv load: ${loadMs.toFixed(0)} ms\n`);

  // Each query twice in one session (.timer prints "Run Time: real S ..." after each); the
  // faster run counts. SQLite runs on one thread.
  const runs = 2;
  const entry = { load_ms: loadMs, queries: {} };
  for (const q of queries) {
    if (q.sqlite === null) {
      entry.queries[q.name] = { unsupported: true };  // e.g. arrays: SQLite has none
      continue;
    }
    const sql = (q.sqlite || q.visiondb).replace(/;?\s*$/, ';');
    const script = ['.mode csv', '.headers off', '.timer on', ...Array(runs).fill(sql)].join('\n');
    r = spawnSync('sqlite3', [db], { input: script, encoding: 'utf8', maxBuffer: 1 << 26 });
    if (r.status !== 0) {
      entry.queries[q.name] = { error: r.stderr.trim() };
      continue;
    }
    const times = [];
    let rows = [];
    let first = null;
    for (const line of r.stdout.split(/\r?\n/)) {
      const m = line.match(/^Run Time: real ([0-9.]+)/);
      if (m) {
        times.push(Number(m[1]) * 1000);
        if (!first) first = rows.slice(0, 3);
        rows = [];
      } else if (line.length) {
        rows.push(line.split(','));
      }
    }
    entry.queries[q.name] = { ms: Math.min(...times), runs_ms: times, first_rows: first };
    process.stderr.write(`sqlite ${q.name}: ${Math.min(...times).toFixed(0)} ms\n`);
  }
  fs.rmSync(db, { force: true });
  return { version, ...entry };
}

async function main() {
  const args = parseArgs(process.argv);
  const queries = loadQueries();
  const result = { generated: new Date().toISOString(), data: path.resolve(args.data) };
  if (args.duckdb) result.duckdb = await runDuckDB(args, queries, loadSetup());
  if (args.sqlite) result.sqlite = runSqlite(args, queries);
  fs.writeFileSync(args.out, JSON.stringify(result, null, 2) + '\n');
}

main().catch((e) => {
  process.stderr.write(`bench_sql_peers: ${e.stack || e}\n`);
  process.exit(1);
});
