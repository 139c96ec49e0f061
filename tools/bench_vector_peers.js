#!/usr/bin/env node
// DuckDB's side of bench/vector_bench.cpp: the same N x 2048 vectors (the same formula, computed in
// DuckDB as DOUBLE[2048] arrays), then
//   ML.DISTANCE:   SELECT sum(array_cosine_distance(emb, <query literal>)) FROM emb_t
//   VECTOR_SEARCH: the 5 nearest base rows (of the first --search-rows, default 10000: DuckDB takes
//                  about 10 us a pair here) of each of 100 queries by cosine distance, with DuckDB's
//                  top-k aggregate min_by(id, distance, 5) over the cross product
// at 2 threads, median of --repeat runs. Prints JSON with the times and the answers (to compare
// with the labels of vector_bench). Needs tools/peers/node_modules (npm install in tools/peers).
//
//   node tools/bench_vector_peers.js [--rows 100000] [--search-rows 10000] [--repeat 3] [--threads 2]
'use strict';

const path = require('path');

function parseArgs(argv) {
  const args = { rows: 100000, searchRows: 10000, repeat: 3, threads: 2 };
  for (let i = 2; i < argv.length; ++i) {
    const a = argv[i];
    const next = () => argv[++i];
    if (a === '--rows') args.rows = Number(next());
    else if (a === '--search-rows') args.searchRows = Number(next());
    else if (a === '--repeat') args.repeat = Number(next());
    else if (a === '--threads') args.threads = Number(next());
    else throw new Error(`unknown argument ${a}`);
  }
  return args;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

// Element j of vector i: the formula of bench/vector_bench.cpp.
const element = (i, j) => `(((${i}) * 7919 + (${j}) * 104729) % 1000003)::DOUBLE / 1000003::DOUBLE - 0.5`;

async function main() {
  const args = parseArgs(process.argv);
  const duckdb = require(path.join(__dirname, 'peers', 'node_modules', '@duckdb', 'node-api'));
  const instance = await duckdb.DuckDBInstance.create(':memory:', { threads: String(args.threads) });
  const con = await instance.connect();
  const version = (await con.runAndReadAll('SELECT version()')).getRows()[0][0];
  let t0 = performance.now();
  await con.run(`CREATE TABLE emb_t AS SELECT i AS id, list_transform(range(2048), j -> ${element('i', 'j')})::DOUBLE[2048] AS emb
                 FROM range(${args.rows}) r(i)`);
  await con.run(`CREATE TABLE q_t AS SELECT 1000000 + i AS qid, list_transform(range(2048), j -> ${element('1000000 + i', 'j')})::DOUBLE[2048] AS emb
                 FROM range(100) r(i)`);
  const loadMs = performance.now() - t0;
  const q0 = [];
  for (let j = 0; j < 2048; ++j) q0.push(((((1000000 * 7919 + j * 104729) % 1000003) / 1000003) - 0.5).toPrecision(17));
  const literal = `[${q0.join(', ')}]::DOUBLE[2048]`;
  const queries = {
    ml_distance: `SELECT sum(array_cosine_distance(emb, ${literal})) FROM emb_t`,
    vector_search: `SELECT count(*), sum(id) FROM (
                      SELECT qid, unnest(min_by(e.id, array_cosine_distance(e.emb, q.emb), 5)) AS id
                      FROM q_t q, (SELECT * FROM emb_t WHERE id < ${args.searchRows}) e GROUP BY qid)`,
  };
  const out = { version, threads: args.threads, rows: args.rows, search_rows: args.searchRows, load_ms: loadMs, queries: {} };
  for (const [name, sql] of Object.entries(queries)) {
    const times = [];
    let answer = null;
    for (let r = 0; r < args.repeat; ++r) {
      t0 = performance.now();
      const reader = await con.runAndReadAll(sql);
      times.push(performance.now() - t0);
      answer = reader.getRows()[0].map((v) => (typeof v === 'bigint' ? Number(v) : v));
    }
    out.queries[name] = { ms: median(times), runs_ms: times, answer };
    process.stderr.write(`duckdb ${name}: ${median(times).toFixed(1)} ms ${JSON.stringify(answer)}\n`);
  }
  console.log(JSON.stringify(out, null, 1));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
