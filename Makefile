# Thin wrappers around meson.  `make run` and `make check` are all a fresh
# Debian 12 machine needs: both first install whatever is missing.

BUILD      ?= _build
ASAN_BUILD ?= _build-asan
MESON_OPTS ?=

.PHONY: all setup build run check check-engine-sanitizers install clean

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
check: build check-engine-sanitizers
	meson test -C $(BUILD) --setup headless --print-errorlogs

$(ASAN_BUILD)/build.ninja: | setup
	meson setup $(ASAN_BUILD) -Dapp=false -Db_sanitize=address,undefined -Db_lundef=false

check-engine-sanitizers: setup $(ASAN_BUILD)/build.ninja
	meson compile -C $(ASAN_BUILD)
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	ASAN_OPTIONS=detect_leaks=1:fast_unwind_on_malloc=0 \
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp \
	  meson test -C $(ASAN_BUILD) --suite engine --suite core --print-errorlogs

install: build
	meson install -C $(BUILD)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
