# WeightLab: `make demo` and `make test` work on a fresh Debian/Ubuntu machine.
# Each first installs the system packages that are missing (checked with dpkg -s, so
# repeated runs are fast), using sudo only when not root.

SYSTEM_PACKAGES := libgsl-dev libopenblas-dev zlib1g-dev libopenmpi-dev openmpi-bin
DATASET_PACKAGE := dataset-fashion-mnist
SWIFT ?= swift
RELEASE_BIN := .build/release/weightlab

.PHONY: demo test bench build deps clean

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

bench: build
	$(RELEASE_BIN) bench all

clean:
	rm -rf .build
