# Veil: `make demo` runs the extension on a bundled demo page; `make test` runs every test.
# Both install what a fresh Debian machine lacks first (scripts/setup.sh, quick when nothing is missing).

WASM_TARGET := wasm32-unknown-unknown
WASM_OUT := target/$(WASM_TARGET)/release/veil.wasm
BROWSER_TEST_ENV := WASM_BINDGEN_USE_BROWSER=1 CHROMEDRIVER=/usr/bin/chromedriver
# The oldest Rust the code promises to build with: `rust-version` in Cargo.toml, read from there.
MSRV := $(shell sed -n 's/^rust-version = "\(.*\)"/\1/p' Cargo.toml)

.PHONY: setup setup-build build cli wasm extension release release-check lint lint-rust lint-js msrv test test-native test-wasm test-unit test-browser demo bench-pdq bench-perf bench-quality fuzz clean

# The wasm names no folder of this machine (cargo's registry, this checkout, the toolchain), so
# the same commit builds the same bytes anywhere: what a store reviewer rebuilding it compares.
CARGO_HOME_DIR := $(or $(CARGO_HOME),$(HOME)/.cargo)
RUST_SYSROOT := $(shell rustc --print sysroot 2>/dev/null)
REMAP := --remap-path-prefix=$(CARGO_HOME_DIR)=/cargo --remap-path-prefix=$(RUST_SYSROOT)=/rust --remap-path-prefix=$(CURDIR)=/veil
# Added to .cargo/config.toml's wasm rustflags (RUSTFLAGS would replace them).
WASM_CARGO := cargo --config 'target.$(WASM_TARGET).rustflags=[$(foreach flag,$(REMAP),"$(flag)",)]'

setup:
	@bash scripts/setup.sh

# What building the extension needs (no browsers, no npm packages): the release's prerequisites.
setup-build:
	@bash scripts/setup.sh build

build: setup cli wasm extension

cli:
	cargo build --release --locked

# The core without the CLI's decoders, as the extension's wasm: pkg/ is generated, never edited.
wasm:
	$(WASM_CARGO) build --release --locked --lib --no-default-features --target $(WASM_TARGET)
	wasm-bindgen --target web --out-dir pkg $(WASM_OUT)

extension: wasm
	node scripts/build-extension.mjs

# The Rust formatted and clippy-clean, warnings denied (Cargo.toml's [lints]; clippy's
# incompatible_msrv holds the code to rust-version), natively and for the wasm build.
lint-rust: setup
	cargo fmt --check
	cd fuzz && cargo fmt --check
	cargo clippy --release --locked --all-targets -- -D warnings
	cargo clippy --release --locked --no-default-features --target $(WASM_TARGET) --lib --tests -- -D warnings

# The code builds with the Rust it promises (downloads that toolchain once; not part of `make test`).
msrv:
	rustup toolchain install $(MSRV) --profile minimal --target $(WASM_TARGET)
	cargo +$(MSRV) check --locked --all-targets
	cargo +$(MSRV) check --locked --no-default-features --target $(WASM_TARGET) --lib --tests

# The JavaScript: ESLint over the repo, tsc over the extension (JSDoc types, @types/chrome, and the
# wasm's generated types standing where the build puts the wasm).
lint-js: setup wasm
	mkdir -p target/types/wasm && cp pkg/veil.d.ts target/types/wasm/veil.d.ts
	npx eslint .
	npx tsc -p .

lint: lint-rust lint-js


# The store packages, the source archive for AMO's review (docs/BUILDING.md) and their SHA-256
# sums, in dist/release/: the same bytes on every rebuild of a commit.
release: setup-build extension
	node scripts/release.mjs

# Rebuilds the release from its own source archive in another folder (the wasm too, from scratch)
# and compares the bytes: a few minutes, so not part of `make test`.
release-check: release
	bash scripts/release-check.sh

test: lint build test-native test-wasm test-unit test-browser

test-native:
	cargo test --release --locked

# The conformance fixtures again, inside the wasm build, in headless Chromium.
test-wasm:
	$(BROWSER_TEST_ENV) $(WASM_CARGO) test --release --locked --no-default-features --target $(WASM_TARGET) --test wasm

# The fast tier: the extension's modules in Node, no browser (store and its encryption, evidence
# exports, the verdict engine with the real wasm, URL handling), from the built extension.
test-unit:
	node --test tests/unit/

test-browser:
	node --test --test-concurrency=1 tests/e2e/

demo: build
	node scripts/demo.mjs

# PDQ on the same pixels: native vs the wasm build in Chromium (medians, ratio), a JS peer for scale.
bench-pdq: build
	node scripts/bench-pdq.mjs

# Match quality: recall per transform at one threshold chosen for per-pair FPR <= 1e-4 on a
# corpus unpacked from Debian packages into bench/cache/ (not committed); writes bench/quality-report.md
# and bench/quality-recall.png. About 5 minutes on 2 cores once the packages are cached.
bench-quality:
	bash scripts/quality-corpus.sh
	cargo run --release --locked --example bench_quality

# Issue 13's figures against their targets, with Veil and without in the same run: bench/perf-report.md.
# Its photos come from the match-quality corpus (fetched once into bench/cache/; the bench falls back
# to the demo images without it). About 10 minutes on 2 cores; encoded images are cached in bench/out/.
bench-perf: build
	-bash scripts/quality-corpus.sh
	node scripts/bench-perf.mjs

# Fuzzing is its own command, not part of `make test` (about 6 minutes; FUZZ_SCALE=0.1 for a quick pass).
fuzz:
	bash scripts/fuzz.sh

clean:
	rm -rf target pkg dist node_modules
