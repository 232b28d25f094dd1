"""Performance benchmark tooling: `benchmarks.generate` fills a database with a large programme."""
