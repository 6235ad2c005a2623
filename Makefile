# QRStore: `make run` to start the server, `make test` for the whole suite.

SWIFT ?= swift
# The C libraries the package links, and pkg-config to find them.
BUILD_PACKAGES := libzbar-dev libqrencode-dev libpng-dev libjpeg62-turbo-dev libsqlite3-dev pkg-config
# The benchmark compares with zbarimg and makes its images with Python.
BENCH_PACKAGES := zbar-tools python3-pip
RELEASE_BIN := .build/release/qrstore

.PHONY: help setup build run test bench fixtures format lint clean

help: ## List the targets.
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-9s %s\n", $$1, $$2}'

# Installs the Debian packages in $(1) that are missing: with apt-get as root, else says how.
define ensure_packages
	@missing=$$(for p in $(1); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; \
	done); \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "Installing $$missing"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
				apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
		else \
			echo "Missing Debian packages; run: sudo apt-get install $$missing" >&2; exit 1; \
		fi; \
	fi
endef

setup: ## Install the missing Debian packages (as root).
	$(call ensure_packages,$(BUILD_PACKAGES))

build: setup ## Build the server and tools (debug).
	$(SWIFT) build

run: build ## Build and start the server on ./qrstore.sqlite.
	.build/debug/qrstore serve

test: setup ## Run every test.
	$(SWIFT) build --build-tests
	$(SWIFT) test

bench: setup ## Measure scanning against zbarimg (release build).
	$(call ensure_packages,$(BENCH_PACKAGES))
	python3 -m pip install -q -r Tests/Fixtures/requirements.txt
	$(SWIFT) build -c release --product qrstore
	python3 Tests/Benchmarks/scan_benchmark.py --qrstore $(RELEASE_BIN) --out bench-output/scan

fixtures: ## Make the test images again (Tests/Fixtures/make_fixtures.py).
	$(call ensure_packages,zbar-tools python3-pip)
	python3 -m pip install -q -r Tests/Fixtures/requirements.txt
	python3 Tests/Fixtures/make_fixtures.py

format: ## Format the Swift sources in place.
	$(SWIFT) format --in-place --recursive Package.swift Sources Tests

lint: ## Check the Swift sources' format.
	$(SWIFT) format lint --strict --recursive Package.swift Sources Tests

clean: ## Remove build products and benchmark output.
	rm -rf .build bench-output test-output
