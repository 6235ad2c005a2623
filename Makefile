# QRStore: `make run` to start the server, `make test` for the whole suite.

SWIFT ?= swift
# The C libraries the package links, and pkg-config to find them.
BUILD_PACKAGES := libzbar-dev libqrencode-dev libpng-dev libjpeg62-turbo-dev libsqlite3-dev libtesseract-dev \
	tesseract-ocr-eng pkg-config
# The browser tests drive Debian's Chromium (with a Chinese font, as every Chinese phone has);
# the deployment kit is checked with nginx -t.
TEST_PACKAGES := chromium chromium-driver fonts-wqy-microhei nginx-light openssl
# The benchmarks compare with zbarimg, load the server with wrk, and run it once without fsync
# (eatmydata) to show what the durable listener commit costs.
BENCH_PACKAGES := zbar-tools wrk eatmydata
# Release builds go to their own folder, so they do not replace the debug build's products.
RELEASE_BUILD := .build-release
RELEASE_BIN := $(RELEASE_BUILD)/release/qrstore
# A private Python for the browser tests and the benchmark's image generator.
VENV := .build-python
PYTHON := $(VENV)/bin/python

.PHONY: help setup build run test bench fixtures python format lint clean

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

test: setup ## Run every test: the Swift suites, then the browser tests.
	$(call ensure_packages,$(TEST_PACKAGES))
	$(SWIFT) build --build-tests
	$(SWIFT) test
	$(MAKE) --no-print-directory python REQUIREMENTS=Tests/Browser/requirements.txt
	$(PYTHON) -m pytest -q -p no:cacheprovider Tests/Browser Tests/Mail Tests/Gateway Tests/Deploy

bench: setup ## Measure scanning against zbarimg, orders, channels, the gateway, and the server under wrk (release build).
	$(call ensure_packages,$(BENCH_PACKAGES))
	$(MAKE) --no-print-directory python REQUIREMENTS=Tests/Fixtures/requirements.txt
	$(SWIFT) build -c release --product qrstore --scratch-path $(RELEASE_BUILD)
	$(PYTHON) Tests/Benchmarks/scan_benchmark.py --qrstore $(RELEASE_BIN) --out bench-output/scan
	$(PYTHON) Tests/Benchmarks/order_benchmark.py --qrstore $(RELEASE_BIN) --out bench-output/orders
	$(PYTHON) Tests/Benchmarks/channel_benchmark.py --qrstore $(RELEASE_BIN) --out bench-output/channels
	$(PYTHON) Tests/Benchmarks/gateway_benchmark.py --qrstore $(RELEASE_BIN) --out bench-output/gateway
	$(PYTHON) Tests/Benchmarks/load_benchmark.py --qrstore $(RELEASE_BIN) --out bench-output/load

fixtures: ## Make the test images again (Tests/Fixtures/make_fixtures.py).
	$(call ensure_packages,zbar-tools)
	$(MAKE) --no-print-directory python REQUIREMENTS=Tests/Fixtures/requirements.txt
	$(PYTHON) Tests/Fixtures/make_fixtures.py

python: # The private Python, with $(REQUIREMENTS) installed.
	@test -x $(PYTHON) || python3 -m venv $(VENV)
	@$(PYTHON) -m pip install -q --disable-pip-version-check -r $(REQUIREMENTS)

format: ## Format the Swift sources in place.
	$(SWIFT) format --in-place --recursive Package.swift Sources Tests

lint: ## Check the Swift sources' format.
	$(SWIFT) format lint --strict --recursive Package.swift Sources Tests

clean: ## Remove build products and benchmark output.
	rm -rf .build $(RELEASE_BUILD) $(VENV) bench-output test-output
