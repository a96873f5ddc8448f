# Gazette's one entry point. `make help` lists the targets.
SWIFT ?= swift
GAZETTE = .build/debug/gazette

.PHONY: help deps build demo demo-clean test soak test-sanitize fuzz fuzz-build fuzz-merge templates entities format lint screenshot bench

help:
	@echo "make demo        build, then run the daily job on the sample site into outbox/ and preview it"
	@echo "make test        run every test (real HTTP server, SQLite file and MIME parser included)"
	@echo "make soak        random crash soak: gazette run SIGKILLed SOAK_TRIALS (default 200) times; figures in .build/soak"
	@echo "make test-sanitize  the tests again under AddressSanitizer, then ThreadSanitizer (slow: two full builds)"
	@echo "make fuzz        libFuzzer on each parser for FUZZ_SECONDS (default 180) each; FUZZ_TARGETS picks some"
	@echo "make build       debug build of .build/debug/gazette"
	@echo "make templates   re-embed templates/ into the binary after editing them"
	@echo "make entities    regenerate the HTML entity table feeds are read with"
	@echo "make bench       release build, then the benchmarks (medians of 3 runs after a warm-up)"
	@echo "make format      format the Swift sources; make lint checks them"
	@echo "make demo-clean  forget the demo's database and outbox"
	@echo "make screenshot  the digest in headless Chromium (desktop, phone, dark) into docs/digest*.png"

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build

# The demo reads sample-site/ through file URLs (see gazette.toml): no network needed.
# Running it again sends nothing twice: the ledger already holds today's edition.
demo: build
	$(GAZETTE) subscribers import subscribers/sample.csv
	$(GAZETTE) run
	@echo "Outbox: $$(ls outbox/new | wc -l) message(s) in outbox/new"
	$(GAZETTE) preview

demo-clean:
	rm -rf outbox subscribers/gazette.sqlite subscribers/gazette.sqlite-wal subscribers/gazette.sqlite-shm

test:
	@scripts/install-deps.sh --test
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

# The random crash soak (docs/reliability.md): not part of `make test`, whose verdicts may
# not depend on where a random kill lands. `DeliveryCrashPointTests` kills at chosen moments.
SOAK_TRIALS ?= 200
soak:
	@scripts/install-deps.sh --test
	$(SWIFT) build --build-tests
	GAZETTE_SOAK=1 GAZETTE_SOAK_TRIALS=$(SOAK_TRIALS) $(SWIFT) test --skip-build --filter CrashSoakTests

# Each sanitizer has its own scratch folder (a sanitized build shares nothing with .build).
# Reports go to files, so one from a child process (the CLI tests run the `gazette` binary)
# is not lost in a pipe a test reads: any report there fails the target. Leaks inside
# TOMLKit and XCTest are suppressed (scripts/lsan-suppressions.txt says why).
SANITIZERS ?= address thread
test-sanitize:
	@scripts/install-deps.sh --test
	@for s in $(SANITIZERS); do \
		dir=.build-$$(echo $$s | cut -c1)san; rm -rf $$dir/sanitizer-reports; mkdir -p $$dir/sanitizer-reports; \
		echo "== $$s: build"; \
		$(SWIFT) build --build-tests --sanitize=$$s --scratch-path $$dir || exit 1; \
		echo "== $$s: test"; \
		ASAN_OPTIONS="log_path=$(CURDIR)/$$dir/sanitizer-reports/asan:$(ASAN_OPTIONS)" \
		LSAN_OPTIONS="suppressions=$(CURDIR)/scripts/lsan-suppressions.txt:print_suppressions=0:$(LSAN_OPTIONS)" \
		TSAN_OPTIONS="log_path=$(CURDIR)/$$dir/sanitizer-reports/tsan:$(TSAN_OPTIONS)" \
		$(SWIFT) test --skip-build --sanitize=$$s --scratch-path $$dir || exit 1; \
		if grep -lqE "ERROR: |WARNING: ThreadSanitizer" $$dir/sanitizer-reports/* 2>/dev/null; then \
			echo "$$s: sanitizer reports in $$dir/sanitizer-reports:"; cat $$dir/sanitizer-reports/*; exit 1; fi; \
		echo "== $$s: clean"; \
	done

# Fuzzing lives in the nested package Fuzz/ (its own scratch folder .build-fuzz), so neither
# `make build` nor `make test` compiles with -sanitize=fuzzer. Each target starts from its
# committed seeds (Fuzz/Corpus/<target>, read-only) and grows a working corpus in
# .build-fuzz/corpus/<target>; a crash or broken invariant stops the run and leaves the input
# in .build-fuzz/artifacts/. Copy it into Fuzz/Regressions/<target>/ with the fix: `make
# test` replays both folders through the same checks (FuzzRegressionTests). Swift's own
# crash backtracer is off: it reads the stack in a way ASan reports as an underflow.
FUZZ_TARGETS ?= FeedParser ArticleExtractor CSVReader MIMEWriter ConfigLoader
FUZZ_SECONDS ?= 180
FUZZ_FLAGS ?= -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
FUZZ_BIN = .build-fuzz/debug
FUZZ_ENV = SWIFT_BACKTRACE=enable=no LSAN_OPTIONS="suppressions=$(CURDIR)/scripts/lsan-suppressions.txt:print_suppressions=0:$(LSAN_OPTIONS)"

# `--sanitize fuzzer` makes SwiftPM link libFuzzer's `main` instead of the target's; the
# comma-joined -Xswiftc flag is what instruments: SwiftPM's `--sanitize fuzzer --sanitize
# address` hands swiftc two -sanitize flags and the second replaces the first, leaving the
# Swift code without coverage (libFuzzer then finds no coverage at all). C and C++
# dependencies (BoringSSL in swift-crypto, toml++ in TOMLKit) get coverage and ASan through
# -Xcc; the system libxml2 and libcurl are not rebuilt, so neither is instrumented.
fuzz-build:
	cd Fuzz && $(SWIFT) build -c debug --scratch-path ../.build-fuzz --sanitize fuzzer \
		-Xswiftc -sanitize=fuzzer,address -Xcc -fsanitize=fuzzer-no-link,address

fuzz: fuzz-build
	@mkdir -p .build-fuzz/artifacts
	@for t in $(FUZZ_TARGETS); do \
		mkdir -p .build-fuzz/corpus/$$t; \
		echo "== Fuzz$$t for $(FUZZ_SECONDS)s"; \
		$(FUZZ_ENV) $(FUZZ_BIN)/Fuzz$$t .build-fuzz/corpus/$$t Fuzz/Corpus/$$t -max_total_time=$(FUZZ_SECONDS) \
			-artifact_prefix=.build-fuzz/artifacts/$$t- $(FUZZ_FLAGS) || exit 1; \
	done

# Shrinks the committed seeds to the files that add coverage (libFuzzer's -merge=1).
fuzz-merge: fuzz-build
	@for t in $(FUZZ_TARGETS); do \
		rm -rf .build-fuzz/merge/$$t; mkdir -p .build-fuzz/merge/$$t; \
		$(FUZZ_ENV) $(FUZZ_BIN)/Fuzz$$t -merge=1 .build-fuzz/merge/$$t Fuzz/Corpus/$$t || exit 1; \
		echo "$$t: $$(ls Fuzz/Corpus/$$t | wc -l) seeds, $$(ls .build-fuzz/merge/$$t | wc -l) add coverage"; \
	done

templates:
	python3 scripts/embed-templates.py

entities:
	python3 scripts/generate-html-entities.py

format:
	git ls-files -z '*.swift' | xargs -0 $(SWIFT) format format --parallel --in-place

lint:
	git ls-files -z '*.swift' | xargs -0 $(SWIFT) format lint --parallel

# The README's pictures of the digest (a fixed English and Hebrew one): desktop, phone and dark,
# drawn by headless Chromium in HTMLRenderingTests (needs chromium: scripts/install-deps.sh --test).
screenshot:
	$(SWIFT) build --build-tests
	GAZETTE_SCREENSHOTS=1 $(SWIFT) test --skip-build --filter HTMLRenderingTests

# Speed lives here, not in unit tests: Benchmarks/run.py runs each case (a warm-up, then the
# median of three runs) against the peers, prints the table and writes docs/benchmarks.md.
# Benchmarks/page_metadata.py then scores `gazette extract` field by field beside trafilatura
# on the article pages in Benchmarks/pages.
# Peers (Postfix's smtp-sink/smtp-source, hyperfine, feedparser, feedparser-rs, rss2email, Jinja2, trafilatura) are
# installed by scripts/install-bench-deps.sh; inputs are generated into .build/bench/data.
# The release build links the Swift runtime and Foundation statically: dynamic linking of
# ~55 shared objects (ICU among them) was most of `gazette --help`'s 119 ms. By product:
# the test-support target imports Testing, which a static release build does not find.
bench: deps
	@scripts/install-bench-deps.sh
	$(SWIFT) build -c release --static-swift-stdlib --product gazette
	$(SWIFT) build -c release --static-swift-stdlib --product gazette-bench
	python3 Benchmarks/run.py
	python3 Benchmarks/page_metadata.py
