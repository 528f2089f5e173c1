"""The measuring tools (bench/): the benchmarks at tiny scale, seed_scale, and the reference
pages that exist only while benchmarking."""
