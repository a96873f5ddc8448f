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

# Speed lives here, not in unit tests: Benchmarks/run.py runs each case (a warm-up, then the
# median of three runs) against the peers, prints the table and writes docs/benchmarks.md.
# Peers (Postfix's smtp-sink/smtp-source, hyperfine, feedparser, rss2email, Jinja2) are
# installed by scripts/install-bench-deps.sh; inputs are generated into .build/bench/data.
# The release build links the Swift runtime and Foundation statically: dynamic linking of
# ~55 shared objects (ICU among them) was most of `gazette --help`'s 119 ms. By product:
# the test-support target imports Testing, which a static release build does not find.
bench: deps
	@scripts/install-bench-deps.sh
	$(SWIFT) build -c release --static-swift-stdlib --product gazette
	$(SWIFT) build -c release --static-swift-stdlib --product gazette-bench
	python3 Benchmarks/run.py
