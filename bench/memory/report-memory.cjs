// Preloaded into the API by bench/memory/run.mjs only (node --expose-gc --require ...): on
// SIGUSR2, collect garbage and print the process's memory on one line the bench can parse.
process.on('SIGUSR2', () => {
  global.gc?.();
  global.gc?.();
  const m = process.memoryUsage();
  process.stdout.write(`BENCH_MEMORY ${JSON.stringify({ heapUsed: m.heapUsed, rss: m.rss })}\n`);
});
