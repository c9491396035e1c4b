# WeightLab: `make demo` and `make test` work on a fresh Debian/Ubuntu machine.
# Each first installs the system packages that are missing (checked with dpkg -s, so
# repeated runs are fast), using sudo only when not root.

SYSTEM_PACKAGES := libgsl-dev libopenblas-dev zlib1g-dev libopenmpi-dev openmpi-bin
DATASET_PACKAGE := dataset-fashion-mnist
SWIFT ?= swift
RELEASE_BIN := .build/release/weightlab

.PHONY: demo test python-test python sanitize fuzz fuzz-build bench build deps clean

deps:
	@missing=""; \
	for p in $(SYSTEM_PACKAGES) $(DATASET_PACKAGE); do \
		dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		sudo=""; [ "$$(id -u)" -ne 0 ] && sudo=sudo; \
		echo "installing:$$missing"; \
		$$sudo apt-get update -qq || true; \
		$$sudo apt-get install -y -qq $$(echo $$missing | tr ' ' '\n' | grep -vx '$(DATASET_PACKAGE)') >/dev/null || exit 1; \
		if echo "$$missing" | grep -qw $(DATASET_PACKAGE); then \
			$$sudo apt-get install -y -qq $(DATASET_PACKAGE) >/dev/null || \
				echo "note: $(DATASET_PACKAGE) could not be installed; the demo falls back to the embedded digits set"; \
		fi; \
	fi

build: deps
	$(SWIFT) build -c release --product weightlab

demo: build
	$(RELEASE_BIN) run experiments/demo.yaml --jobs 2

test: deps
	$(SWIFT) build --product weightlab
	$(SWIFT) test
	$(MAKE) python-test

# The Python package's tests (python/tests) against the debug library and command line; numpy
# and pytest are installed with pip only when missing. pytest's exit code 5 (no tests) passes.
python-test:
	$(SWIFT) build --product WeightLabC
	$(SWIFT) build --product weightlab
	@python3 -c 'import numpy, pytest' 2>/dev/null || python3 -m pip install -q numpy pytest
	@WEIGHTLAB_LIBRARY=.build/debug/libWeightLabC.so WEIGHTLAB_CLI=.build/debug/weightlab python3 -m pytest -q python/tests; \
		rc=$$?; [ $$rc -eq 0 ] || [ $$rc -eq 5 ]

# Builds the C library in release, puts it in the package and installs the package.
python:
	$(SWIFT) build -c release --product WeightLabC
	cp .build/release/libWeightLabC.so python/weightlab/
	python3 -m pip install ./python

# The whole suite under ThreadSanitizer and under AddressSanitizer, one scratch folder each.
# A report fails the run: TSan exits non-zero when it reported (exitcode=66), ASan aborts at
# the first error and its leak check fails the run at exit. Suppressions, each with its
# reason, are in .ci/tsan.supp. `--disable-xctest` under ASan: the package has no XCTest
# tests, and XCTest's empty run leaks 368 bytes of its own bookkeeping. WEIGHTLAB_SANITIZER tells
# the one timing-bound test to stand aside (TrialDistributionTests' hung worker; `make test` runs it).
SANITIZER_FLAGS := -Xswiftc -use-ld=lld
sanitize: deps
	WEIGHTLAB_SANITIZER=thread TSAN_OPTIONS="suppressions=$(CURDIR)/.ci/tsan.supp exitcode=66 $(TSAN_OPTIONS)" \
		$(SWIFT) test --sanitize=thread --scratch-path .build-tsan $(SANITIZER_FLAGS) --disable-xctest
	WEIGHTLAB_SANITIZER=address $(SWIFT) test --sanitize=address --scratch-path .build-asan $(SANITIZER_FLAGS) --disable-xctest

# libFuzzer, one target per reader of outside bytes (Tests/Fuzz; docs/reliability.md).
# `make fuzz FUZZ_SECONDS=600` runs each for that long; a finding (crash, input slower than
# 1 s, single allocation over 256 MiB, leak) is saved in Tests/Fuzz/Regressions/<target>/,
# which `swift test` replays, and fails the run.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= idx idx-gzip csv cifar checkpoint weights npy spec-yaml spec-json layers augment imdb c-spec c-state
# SwiftPM passes `-sanitize=fuzzer -sanitize=address` to swiftc as two flags, and the second
# replaces the first's coverage instrumentation: without FUZZ_COVERAGE no Swift code is
# instrumented and libFuzzer mutates blind (only the C shims and libyaml report coverage).
FUZZ_COVERAGE := -Xswiftc -sanitize-coverage=edge,inline-8bit-counters,pc-table,trace-cmp
FUZZ_OPTIONS ?= -timeout=1 -malloc_limit_mb=256 -rss_limit_mb=2048 -detect_leaks=1 -print_final_stats=1
fuzz-build: deps
	for t in $(FUZZ_TARGETS); do \
		WEIGHTLAB_FUZZ=1 $(SWIFT) build -c release --product fuzz-$$t --sanitize=fuzzer --sanitize=address \
			--scratch-path .build-fuzz $(SANITIZER_FLAGS) $(FUZZ_COVERAGE) || exit 1; \
	done
fuzz: fuzz-build
	for t in $(FUZZ_TARGETS); do \
		mkdir -p .build-fuzz/corpus/$$t Tests/Fuzz/Regressions/$$t; \
		echo "fuzz-$$t: $(FUZZ_SECONDS) s"; \
		SWIFT_BACKTRACE=enable=no .build-fuzz/release/fuzz-$$t .build-fuzz/corpus/$$t Tests/Fuzz/Corpus/$$t \
			-max_total_time=$(FUZZ_SECONDS) $(FUZZ_OPTIONS) -artifact_prefix=Tests/Fuzz/Regressions/$$t/ || exit 1; \
	done

bench: build
	$(RELEASE_BIN) bench all

clean:
	rm -rf .build .build-tsan .build-asan .build-fuzz
