# Thin wrappers around meson.  `make run` and `make check` are all a fresh
# Debian 12 machine needs: both first install whatever is missing.

BUILD      ?= _build
ASAN_BUILD ?= _build-asan
FUZZ_BUILD ?= _build-fuzz
# make fuzz: seconds per harness (the issue asks for ten minutes each)
FUZZ_SECONDS ?= 600
FUZZ_TARGETS = safetensors config tokenizer-files encode load-run
MESON_OPTS ?=

.PHONY: all setup build run check check-engine-sanitizers check-fuzz fuzz fuzz-build install clean

all: build

setup:
	@sh tools/setup-deps.sh

$(BUILD)/build.ninja: | setup
	meson setup $(BUILD) $(MESON_OPTS)

build: setup $(BUILD)/build.ninja
	meson compile -C $(BUILD)

run: build
	$(BUILD)/src/app/attention

# Every test, UI tests under Xvfb, then the engine tests again under
# AddressSanitizer and UndefinedBehaviorSanitizer in their own build dir
# (with attention-cli and the GObject face, which need no display).
# float-cast-overflow is not part of GCC's "undefined": it catches a NaN
# or out-of-range float converted to an integer (issue 11's GELU).
check: build check-engine-sanitizers check-fuzz
	meson test -C $(BUILD) --setup headless --print-errorlogs

$(ASAN_BUILD)/build.ninja: | setup
	meson setup $(ASAN_BUILD) -Dapp=false -Db_sanitize=address,undefined -Db_lundef=false \
	  -Dc_args=-fsanitize=float-cast-overflow

check-engine-sanitizers: setup $(ASAN_BUILD)/build.ninja
	meson compile -C $(ASAN_BUILD)
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	ASAN_OPTIONS=detect_leaks=1:fast_unwind_on_malloc=0 \
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp \
	  meson test -C $(ASAN_BUILD) --suite engine --suite core --print-errorlogs --timeout-multiplier 10

# libFuzzer harnesses (tests/fuzz) in a clang build with ASan and UBSan;
# the engine is instrumented for coverage (fuzzer-no-link).
$(FUZZ_BUILD)/build.ninja: | setup
	CC=clang meson setup $(FUZZ_BUILD) -Dapp=false -Dfuzz=true \
	  -Db_sanitize=address,undefined -Db_lundef=false \
	  -Dc_args='-fsanitize=fuzzer-no-link -fno-sanitize-recover=all'

fuzz-build: setup $(FUZZ_BUILD)/build.ninja
	ninja -C $(FUZZ_BUILD) $(addprefix tests/fuzz/fuzz-,$(FUZZ_TARGETS))

# Each committed corpus replayed, then a few seconds of fuzzing per harness.
check-fuzz: fuzz-build
	meson test -C $(FUZZ_BUILD) --no-rebuild --suite fuzz --print-errorlogs

# Each harness for FUZZ_SECONDS (default 600), one after another.
fuzz: fuzz-build
	@for t in $(FUZZ_TARGETS); do \
	  echo "fuzz: $$t for $(FUZZ_SECONDS) s"; \
	  tests/fuzz/run-fuzz.sh $(FUZZ_BUILD)/tests/fuzz/fuzz-$$t tests/fuzz/corpus/$$t $(FUZZ_SECONDS) \
	    || exit 1; \
	done

install: build
	meson install -C $(BUILD)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
