# menort — the two commands a new user runs are `make run` and `make test`.
# Everything they need is installed here: libyaml-dev (apt-get, as root) and the Python
# peers the tests check the rendered template against (pip).

SWIFT   ?= swift
PYTHON  ?= python3
PREFIX  ?= /usr/local
BIN_DIR := $(shell $(SWIFT) build --show-bin-path 2>/dev/null || echo .build/debug)
MENORT  := $(BIN_DIR)/menort

# Real-world templates nobody on this project wrote (AWS SAM's and cfn-lint's test suites).
MENORT_CORPUS ?= $(abspath ../shared/corpus)
export MENORT_CORPUS

# The versions the checks were written against; `make peers` installs them when missing.
CFN_LINT_VERSION := 1.58.0
SAM_CLI_VERSION  := 1.170.0
CFN_VALIDATE_VERSION := 1.14.0
# `make check-local`'s clients and DynamoDB (boto3 is the version aws-sam-cli pins, so one
# boto3 serves both; the Python handlers import it too, as Lambda's runtime provides it).
WEBSOCKETS_VERSION := 17.4
BOTO3_VERSION      := 1.43.108
MOTO_VERSION       := 5.2.5
LOCAL_PEERS := websockets==$(WEBSOCKETS_VERSION) boto3==$(BOTO3_VERSION) moto[server]==$(MOTO_VERSION)

.PHONY: run test build release install deps peers check-peers check-local check-run corpus defects bench bench-local bench-startup fuzz fuzz-smoke test-asan clean help

help:
	@echo "make run      build, then render the realtime stack's template.yaml to stdout"
	@echo "make test     unit and golden tests, then cfn-lint, the SAM translator and SAM CLI's parser on menort's output, the corpus and the defects"
	@echo "make build    debug build"
	@echo "make install  release build, completions and man page, installed to PREFIX (default /usr/local)"
	@echo "make check-local  menort local end to end: WebSocket clients, the Python and Node.js handlers and menort init's, moto's DynamoDB"
	@echo "make corpus   menort validate over every SAM input template of MENORT_CORPUS: no crash, exit 0 or 1"
	@echo "make defects  98 one-edit defects of the stack: what menort, cfn-lint, cloudformation-validate and the SAM translator catch (docs/defects.md)"
	@echo "make bench    menort against cfn-lint and cloudformation-validate, then bench-local and bench-startup (BENCHMARKS.md)"
	@echo "make bench-local    menort local: round trip through a warm handler, 1,000 connections' RSS, @connections POSTs/s"
	@echo "make bench-startup  validate's start-up against BENCH_BASELINE (default ebfd4ab, before SwiftNIO), time and instructions"
	@echo "make fuzz     libFuzzer + AddressSanitizer over parse/validate/emit for FUZZ_SECONDS (default 600)"
	@echo "make test-asan  the test suite under AddressSanitizer"

## deps: libyaml-dev (and pkg-config, which SwiftPM asks for its flags).
deps:
	@if ! pkg-config --exists yaml-0.1 2>/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing libyaml-dev (libyaml is missing)" >&2; \
	    apt-get update -q >/dev/null && apt-get install -y -q libyaml-dev pkg-config >/dev/null; \
	  else \
	    echo "libyaml is missing. Install it, then run make again:" >&2; \
	    echo "  sudo apt-get install -y libyaml-dev pkg-config" >&2; \
	    exit 1; \
	  fi; \
	fi

build: deps
	$(SWIFT) build

## run: the template on stdout and nothing else (`make run > template.yaml`): the build's
## own output goes to stderr.
run: deps
	@$(SWIFT) build >&2
	@$(MENORT) render

## check-run: `make run`'s stdout is exactly what `menort render` writes.
check-run: build
	@$(MAKE) --no-print-directory run > .build/make-run.yaml 2>/dev/null
	@$(MENORT) render | cmp -s - .build/make-run.yaml || { echo "check-run: make run writes more than the template on stdout" >&2; exit 1; }
	@echo "check-run: make run writes the template and nothing else on stdout"

test: deps peers
	$(SWIFT) test
	$(MAKE) --no-print-directory check-run
	$(MAKE) --no-print-directory check-peers
	$(MAKE) --no-print-directory check-local
	$(MAKE) --no-print-directory corpus
	$(MAKE) --no-print-directory defects

## corpus: all 831 SAM input templates in one run (findings are expected: some are
## deliberately invalid; a crash or exit 2 is not), then menort against cfn-lint's fixtures
## (docs/cfn-lint-comparison.md must be current). The Swift tests read the same corpus,
## including the real-world WebSocket templates (Tests/Fixtures/realworld-errors.txt).
## When MENORT_CORPUS names no folder (a fresh clone without ../shared), every step says it
## skips, in one line, and the target succeeds.
ifeq ($(wildcard $(MENORT_CORPUS)/.),)
corpus:
	@echo "corpus: skipped, MENORT_CORPUS=$(MENORT_CORPUS) names no folder (set it to the shared corpus to run these checks)"
else
corpus: build
	@if [ ! -d "$(MENORT_CORPUS)/sam/input" ]; then \
	  echo "corpus: skipped sam/input, $(MENORT_CORPUS)/sam/input not found"; exit 0; fi; \
	status=0; $(MENORT) validate --format json "$(MENORT_CORPUS)"/sam/input/*.yaml > .build/corpus-sam-input.json || status=$$?; \
	if [ $$status -gt 1 ]; then echo "corpus: menort validate exited $$status on sam/input" >&2; exit 1; fi; \
	$(PYTHON) -c 'import json,sys; s=json.load(open(".build/corpus-sam-input.json"))["summary"]; print("corpus: sam/input %(files)d templates, %(errors)d errors, %(warnings)d warnings, %(notes)d notes (exit '$$status')" % s); sys.exit(0 if s["files"] > 800 else 1)'
	@if [ ! -f "$(MENORT_CORPUS)/cfn-lint/expected.jsonl" ]; then \
	  echo "corpus: skipped the cfn-lint comparison, $(MENORT_CORPUS)/cfn-lint/expected.jsonl not found"; exit 0; fi; \
	$(PYTHON) scripts/compare-cfn-lint.py --menort $(MENORT) --corpus "$(MENORT_CORPUS)" --markdown .build/cfn-lint-comparison.md >/dev/null || exit 1; \
	if diff -u docs/cfn-lint-comparison.md .build/cfn-lint-comparison.md; then \
	  echo "corpus: docs/cfn-lint-comparison.md is up to date"; \
	else \
	  echo "corpus: docs/cfn-lint-comparison.md is stale: run scripts/compare-cfn-lint.py --menort $(MENORT) --markdown docs/cfn-lint-comparison.md and review the notes" >&2; exit 1; fi
endif

## peers: the tools the rendered template is checked with, pinned.
## (aws-sam-cli brings the SAM translator it pins, and the parser `menort params` writes for.)
peers:
	@{ $(PYTHON) scripts/peers.py --check && $(PYTHON) scripts/params-roundtrip.py --available; } >/dev/null 2>&1 || \
	  $(PYTHON) -m pip install -q --disable-pip-version-check "cfn-lint==$(CFN_LINT_VERSION)" "aws-sam-cli==$(SAM_CLI_VERSION)" \
	    "cloudformation-validate==$(CFN_VALIDATE_VERSION)"
	@$(PYTHON) scripts/local-e2e.py --check-peers $(foreach pin,$(LOCAL_PEERS),"$(pin)") >/dev/null 2>&1 || \
	  $(PYTHON) -m pip install -q --disable-pip-version-check $(foreach pin,$(LOCAL_PEERS),"$(pin)")

check-peers: build
	@$(PYTHON) scripts/gen-resource-schemas.py | cmp -s - Sources/CloudFormation/ResourceSchema+Data.swift || \
	  { echo "Sources/CloudFormation/ResourceSchema+Data.swift is not what scripts/gen-resource-schemas.py writes: run python3 scripts/gen-resource-schemas.py > Sources/CloudFormation/ResourceSchema+Data.swift" >&2; exit 1; }
	@$(PYTHON) scripts/peers.py --menort $(MENORT)
	@$(PYTHON) scripts/sam-translator-check.py
	@$(PYTHON) scripts/sam-translator-check.py --menort $(MENORT) --corpus "$(MENORT_CORPUS)"
	@$(PYTHON) scripts/params-roundtrip.py --menort $(MENORT) --check

## check-local: `menort local` serving Tests/Fixtures/local/template.yaml to real WebSocket
## clients, its Python (boto3) and Node.js handlers against moto's DynamoDB, and boto3's
## Management API client, then the same on a project `menort init` writes, its generated
## Node.js handlers as they are (scripts/local-e2e.py); then API Gateway's and Lambda's behaviours
## one route each — limits, errors, timeouts, crashes, edited code, Ctrl-C, refusals before
## listening (scripts/local-behaviour.py). node and python3 are required: without them the
## step fails, it does not skip.
check-local: build peers
	@command -v node >/dev/null 2>&1 || { echo "check-local: node is not on PATH; menort local runs the fixture's Node.js handlers with it (apt-get install nodejs)" >&2; exit 1; }
	@command -v python3 >/dev/null 2>&1 || { echo "check-local: python3 is not on PATH; menort local runs the fixture's Python handlers with it" >&2; exit 1; }
	@$(PYTHON) scripts/local-e2e.py --menort $(MENORT)
	@$(PYTHON) scripts/local-behaviour.py --menort $(MENORT)

## defects: one-edit defects of the rendered stack, each asked of menort and the three peers
## (peers' answers cached in .build/defects-peers.json). Fails when a defect some peer catches
## is missed by menort, or when docs/defects.md, the record, is stale.
defects: build peers
	@$(PYTHON) scripts/defects/run.py --menort $(MENORT) --markdown .build/defects.md --check
	@if diff -u docs/defects.md .build/defects.md; then \
	  echo "defects: docs/defects.md is up to date"; \
	else \
	  echo "defects: docs/defects.md is stale: cp .build/defects.md docs/defects.md and review it" >&2; exit 1; fi

## release: a fully static executable (Swift runtime, libyaml and libc linked in): no dynamic
## loader work at start-up, which is most of what a run on a small template costs. The
## linker's warnings about dlopen/getpwuid in static binaries concern code menort never runs.
RELEASE_FLAGS := -c release -Xswiftc -static-executable
release: deps
	$(SWIFT) build $(RELEASE_FLAGS)

FUZZ_SECONDS ?= 600
fuzz: deps
	scripts/fuzz.sh $(FUZZ_SECONDS)

fuzz-smoke: deps
	scripts/fuzz.sh 60

## test-asan: every test under AddressSanitizer (the libyaml boundary is where memory bugs
## would live). Leak detection is off here: at exit LeakSanitizer reports Swift's lazily
## initialised globals and XCTest's own bookkeeping, which live for the whole process by
## design; leaks are hunted per input by the fuzzer instead.
test-asan: deps
	ASAN_OPTIONS=detect_leaks=0 $(SWIFT) test --sanitize=address --scratch-path .build-asan

## bench: the three parts run even when one misses a target; the target fails if any did.
bench: release
	@command -v hyperfine >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -q hyperfine >/dev/null; } || \
	  { echo "hyperfine is missing: sudo apt-get install -y hyperfine" >&2; exit 1; }
	@$(PYTHON) -c "import cfnlint, cloudformation_validate" 2>/dev/null || \
	  $(PYTHON) -m pip install -q --disable-pip-version-check "cfn-lint==$(CFN_LINT_VERSION)" cloudformation-validate
	@status=0; \
	$(PYTHON) scripts/bench/run.py --menort "$$($(SWIFT) build $(RELEASE_FLAGS) --show-bin-path)/menort" || status=1; \
	echo; $(MAKE) --no-print-directory bench-local || status=1; \
	echo; $(MAKE) --no-print-directory bench-startup || status=1; \
	exit $$status

## bench-local: `menort local` serving scripts/bench/local/template.yaml (no-op Node.js
## handlers): echo round trips (median, p99) and the split between the worker and the rest,
## menort's RSS holding 1,000 connections, @connections POSTs/s with a client reading them.
## Needs node and the Python package websockets; stops every server it starts (SIGINT).
bench-local: release
	@command -v node >/dev/null || { echo "bench-local: node is missing (the fixture's handlers are Node.js)" >&2; exit 1; }
	@$(PYTHON) -c "import websockets" 2>/dev/null || $(PYTHON) -m pip install -q --disable-pip-version-check "websockets==$(WEBSOCKETS_VERSION)"
	$(PYTHON) scripts/bench-local.py --menort "$$($(SWIFT) build $(RELEASE_FLAGS) --show-bin-path)/menort"

## bench-startup: `validate` and `--version` against menort built from BENCH_BASELINE (the
## commit before SwiftNIO was linked) with the same flags, in .build/bench-baseline-COMMIT
## (exported with git archive, built once: the first run takes minutes). Callgrind counts
## need valgrind.
BENCH_BASELINE ?= ebfd4ab
BASELINE_DIR   := .build/bench-baseline-$(BENCH_BASELINE)
bench-startup: release
	@command -v valgrind >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -q valgrind >/dev/null; } || \
	  echo "bench-startup: valgrind is missing, no instruction counts (sudo apt-get install -y valgrind)" >&2
	@if [ ! -x "$(BASELINE_DIR)/.build/release/menort" ]; then \
	  git cat-file -e "$(BENCH_BASELINE)^{commit}" 2>/dev/null || \
	    { echo "bench-startup: commit $(BENCH_BASELINE) is not in this clone (git fetch --unshallow)" >&2; exit 1; }; \
	  echo "bench-startup: building $(BENCH_BASELINE) in $(BASELINE_DIR) (once)"; \
	  rm -rf "$(BASELINE_DIR)" && mkdir -p "$(BASELINE_DIR)" && \
	  git archive "$(BENCH_BASELINE)" | tar -x -C "$(BASELINE_DIR)" && \
	  (cd "$(BASELINE_DIR)" && $(SWIFT) build $(RELEASE_FLAGS) >/dev/null) || exit 1; \
	fi
	$(PYTHON) scripts/bench/startup.py --label $(BENCH_BASELINE) --baseline "$(BASELINE_DIR)/.build/release/menort" \
	  --menort "$$($(SWIFT) build $(RELEASE_FLAGS) --show-bin-path)/menort"

## install: the binary, shell completions (generated by the binary itself) and the man page
## (swift-argument-parser's generate-manual plugin).
MAN_DIR       = $(DESTDIR)$(PREFIX)/share/man/man1
BASH_COMP_DIR = $(DESTDIR)$(PREFIX)/share/bash-completion/completions
ZSH_COMP_DIR  = $(DESTDIR)$(PREFIX)/share/zsh/site-functions
FISH_COMP_DIR = $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d

install: release
	install -d "$(DESTDIR)$(PREFIX)/bin"
	install -m 0755 "$$($(SWIFT) build $(RELEASE_FLAGS) --show-bin-path)/menort" "$(DESTDIR)$(PREFIX)/bin/menort"
	@# `menort local` runs menort-local from menort's own folder.
	install -m 0755 "$$($(SWIFT) build $(RELEASE_FLAGS) --show-bin-path)/menort-local" "$(DESTDIR)$(PREFIX)/bin/menort-local"
	install -d "$(BASH_COMP_DIR)" "$(ZSH_COMP_DIR)" "$(FISH_COMP_DIR)" "$(MAN_DIR)"
	"$(DESTDIR)$(PREFIX)/bin/menort" --generate-completion-script bash > "$(BASH_COMP_DIR)/menort"
	"$(DESTDIR)$(PREFIX)/bin/menort" --generate-completion-script zsh > "$(ZSH_COMP_DIR)/_menort"
	"$(DESTDIR)$(PREFIX)/bin/menort" --generate-completion-script fish > "$(FISH_COMP_DIR)/menort.fish"
	@# Debug configuration: the plugin's own release build has no --static-swift-stdlib and
	@# would relink .build/release/menort; the help it reads is the same in either build.
	$(SWIFT) package plugin generate-manual --configuration debug
	install -m 0644 .build/plugins/GenerateManual/outputs/menort/menort.1 "$(MAN_DIR)/menort.1"

clean:
	rm -rf .build .build-asan .build-fuzz
