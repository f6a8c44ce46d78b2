# pxefarm — `make demo` and `make test` do all the set-up on a fresh Debian machine.
SHELL := /bin/bash
PREFIX ?= /usr/local
DESTDIR ?=
SWIFT ?= swift
CONFIG ?= release
BIN = .build/$(CONFIG)/pxefarm

# Debian packages: libarchive for the initrd packer, the demo image's parts, and
# the real peers the tests check against.
DEB_PACKAGES = libarchive-dev zlib1g-dev liblzma-dev pkg-config busybox-static pxelinux syslinux-common \
	isc-dhcp-server kea-dhcp4-server dnsmasq tftp-hpa atftp qemu-system-x86 ipxe-qemu \
	cpio pigz zstd xz-utils libarchive-tools iproute2 curl tcpdump

.PHONY: all deps build test demo bench bench-initrd bench-serve install clean

all: build

# Installs only what is missing; quiet when everything is there.
deps:
	@missing=$$(for p in $(DEB_PACKAGES); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed$$' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "deps: installing" $$missing; \
		export DEBIAN_FRONTEND=noninteractive; \
		apt-get update -qq && apt-get install -y -qq --no-install-recommends $$missing >/dev/null \
		|| { echo "deps: apt-get install failed for:" $$missing >&2; exit 1; }; \
	fi

build: deps
	$(SWIFT) build -c $(CONFIG) --product pxefarm

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --parallel --num-workers 2

demo: build
	$(BIN) check examples/dc2/farm.yaml
	$(BIN) nodes examples/dc2/farm.yaml

bench: bench-initrd bench-serve

bench-initrd: build
	bash bench/initrd.sh $(BIN)

bench-serve: build
	bash bench/serve.sh $(BIN)

install: build
	install -D -m 0755 $(BIN) $(DESTDIR)$(PREFIX)/bin/pxefarm
	mkdir -p $(DESTDIR)$(PREFIX)/share/pxefarm
	cp -R templates $(DESTDIR)$(PREFIX)/share/pxefarm/

clean:
	rm -rf .build out
