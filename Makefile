# SPDX-License-Identifier: Apache-2.0
# make demo   installs what is missing, builds (release), runs the demo
# make test   installs what is missing, builds (debug: ASan + UBSan), runs every test
# make bench  builds (release) and runs the benchmarks, DuckDB beside them
JOBS ?= $(shell nproc)

.PHONY: all bootstrap debug release test demo bench fuzz format clean

all: debug

bootstrap:
	@scripts/bootstrap

debug: bootstrap
	@cmake --preset debug >/dev/null
	cmake --build --preset debug -j $(JOBS)

release: bootstrap
	@cmake --preset release >/dev/null
	cmake --build --preset release -j $(JOBS)

test: debug
	ctest --preset debug -j $(JOBS)

demo: release
	./build/release/apps/sluice/sluice demo

bench:
	@scripts/bootstrap --bench
	@cmake --preset release >/dev/null
	cmake --build --preset release -j $(JOBS)
	bench/run_json_bench.sh
	bench/run_parquet_bench.sh
	bench/run_delta_bench.sh
	bench/run_sql_bench.sh
	bench/run_stream_bench.sh
	build/release/bench/stream_latency_bench
	bench/run_kafka_bench.sh

fuzz:
	@scripts/bootstrap --fuzz
	@cmake --preset fuzz >/dev/null
	cmake --build --preset fuzz -j $(JOBS)

format:
	scripts/format

clean:
	rm -rf build
