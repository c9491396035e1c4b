# WeightLab: `make demo` and `make test` work on a fresh Debian/Ubuntu machine.
# Each first installs the system packages that are missing (checked with dpkg -s, so
# repeated runs are fast), using sudo only when not root.

SYSTEM_PACKAGES := libgsl-dev libopenblas-dev zlib1g-dev
DATASET_PACKAGE := dataset-fashion-mnist
SWIFT ?= swift
RELEASE_BIN := .build/release/weightlab

.PHONY: demo test python-test python bench build deps clean

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

bench: build
	$(RELEASE_BIN) bench all

clean:
	rm -rf .build
