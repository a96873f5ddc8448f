# Gazette's one entry point. `make help` lists the targets.
SWIFT ?= swift
GAZETTE = .build/debug/gazette

.PHONY: help deps build demo demo-clean test templates format lint screenshot bench

help:
	@echo "make demo        build, then run the daily job on the sample site into outbox/ and preview it"
	@echo "make test        run every test (real HTTP server, SQLite file and MIME parser included)"
	@echo "make build       debug build of .build/debug/gazette"
	@echo "make templates   re-embed templates/ into the binary after editing them"
	@echo "make bench       release build, then the benchmarks (medians of 3 runs after a warm-up)"
	@echo "make format      format the Swift sources; make lint checks them"
	@echo "make demo-clean  forget the demo's database and outbox"
	@echo "make screenshot  after make demo: the demo digest's HTML in headless Chromium, into docs/digest.png"

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

templates:
	python3 scripts/embed-templates.py

format:
	git ls-files -z '*.swift' | xargs -0 $(SWIFT) format format --parallel --in-place

lint:
	git ls-files -z '*.swift' | xargs -0 $(SWIFT) format lint --parallel

# The demo digest as a mail client would draw it (needs chromium: scripts/install-deps.sh --test).
screenshot: build
	$(GAZETTE) preview --format html > .build/demo-digest.html
	chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=1 \
		--window-size=680,3400 --screenshot=docs/digest.png "file://$(CURDIR)/.build/demo-digest.html"

# Speed lives here, not in unit tests. Each case runs in its own process (its peak memory
# is its own): a warm-up, then the median of three runs.
bench: deps
	$(SWIFT) build -c release --product gazette-bench
	.build/release/gazette-bench build --articles 100000 --subscribers 1000 --window 1500
	.build/release/gazette-bench build --articles 100000 --subscribers 10000 --window 1500
	.build/release/gazette-bench build --articles 100000 --subscribers 10000 --window 100000 --repeat 1
	.build/release/gazette-bench import --subscribers 1000000
