# pxefarm — `make demo` and `make test` do all the set-up on a fresh Debian machine.
SHELL := /bin/bash
PREFIX ?= /usr/local
DESTDIR ?=
SWIFT ?= swift
# The release binary as the package ships it, the Swift runtime linked in: it
# starts in half the time of one on the runtime's shared libraries (7 ms against
# 14 here), a third of a no-op rebuild. Its own build folder, beside .build.
STATIC_BUILD = .build-static
BIN = $(STATIC_BUILD)/release/pxefarm
SYSTEMD_UNIT_DIR ?= $(PREFIX)/lib/systemd/system

# Debian packages: libarchive for the initrd packer, the demo image's parts, and
# the real peers the tests check against.
DEB_PACKAGES = libarchive-dev zlib1g-dev liblzma-dev pkg-config busybox-static pxelinux syslinux-common \
	isc-dhcp-server kea-dhcp4-server dnsmasq tftp-hpa atftp qemu-system-x86 ipxe-qemu \
	cpio pigz zstd xz-utils libarchive-tools iproute2 curl tcpdump tftpd-hpa \
	nfs-ganesha nfs-ganesha-vfs rpcbind radvd systemd openssh-client \
	shim-signed grub-efi-amd64-signed syslinux-efi ipxe ovmf kea-admin \
	dpkg-dev lintian debootstrap prometheus chromium rsync

.PHONY: all deps image build embedded-templates deb deb-test test e2e demo bench bench-build bench-initrd bench-serve bench-dora bench-storm bench-lockstep bench-memory bench-tarball bench-multiserver fuzz install install-unit clean

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

# The demo image: busybox root, Debian kernel, System.map, NFS and NIC modules.
image: deps
	bash images/busybox/build.sh

build: deps
	$(SWIFT) build -c release --static-swift-stdlib --product pxefarm --scratch-path $(STATIC_BUILD)

# The default templates compiled into the binary (Sources/DefaultTemplates), from
# templates/. Run after editing a template; DefaultTemplatesTests fails until then.
embedded-templates:
	bash Tools/embed-templates.sh

# The Debian package, pxefarm_<version>_amd64.deb (packaging/build-deb.sh): the
# binary `make build` makes, man pages from argument-parser's generate-manual
# plugin (run on the debug build, which has the same commands), completions, the
# templates, the unit and /etc/default/pxefarm.
DEB_BIN = $(BIN)
DEB_OUT ?= .
deb: build
	rm -rf .build/plugins/GenerateManual/outputs/pxefarm
	$(SWIFT) package plugin generate-manual --configuration debug --multi-page --authors "pxefarm developers" \
		--date $$(date -u -d @$$(git log -1 --format=%ct) +%Y-%m-%d)
	bash packaging/build-deb.sh $(DEB_BIN) .build/plugins/GenerateManual/outputs/pxefarm $(DEB_OUT)

# The package installed into a fresh Debian 12 chroot (Tests/deb/run.sh; root only).
deb-test: deb image
	bash Tests/deb/run.sh $(DEB_OUT)/pxefarm_$$($(DEB_BIN) --version)_amd64.deb

# The end-to-end boots first, so that the test runner's summary closes the output.
test: deps image
	$(SWIFT) build --build-tests
	$(MAKE) e2e
	$(MAKE) deb-test
	$(SWIFT) test --skip-build --parallel --num-workers 2

# A real PXE client (qemu + iPXE) boots from pxefarm on a network of network
# namespaces, then two at once on their own NFS roots (nfs-ganesha): see
# Tests/e2e/run.sh. E2E_VARIANTS picks some (menu proxy multicast unicast oneshot rebuild http lpxelinux mtftp nfs3 nfs42 multiserver
# debian uefi mixed uefi-oneshot uefi-http); debian debootstraps a Debian 12 root once into /var/cache/pxefarm-e2e.
e2e: deps image
	$(SWIFT) build --product pxefarm
	bash Tests/e2e/run.sh .build/debug/pxefarm $(E2E_VARIANTS)

demo: build image
	$(BIN) check examples/dc2/farm.yaml
	$(BIN) nodes examples/dc2/farm.yaml | head -n 5
	@echo "... ($$($(BIN) nodes examples/dc2/farm.yaml | tail -n +2 | wc -l) nodes)"
	$(BIN) build examples/dc2/farm.yaml --out out
	@echo
	@echo "demo: the farm is built in ./out:"
	@echo "  out/tftpboot/X86PC/UNDI/<service>/linux.0 linux.1 linux.2 pxelinux.cfg/  (TFTP tree)"
	@echo "  out/etc/dhcpd.conf pxe.conf kea-dhcp4.conf dnsmasq.conf exports          (server configuration)"
	@echo "  out/nfsroot/.shared/base/   the image, shared read-only"
	@echo "  out/nfsroot/<node>/         each node's own etc/ and var/"
	@echo "  out/manifest.json           what was built from what"
	@echo "Run 'make demo' again: nothing changes (0 changed)."

bench: bench-build bench-initrd bench-serve bench-dora bench-storm bench-lockstep bench-memory bench-tarball bench-multiserver

bench-build: build image
	bash bench/build.sh $(BIN)

bench-initrd: build
	bash bench/initrd.sh $(BIN)

bench-serve: build
	bash bench/serve.sh $(BIN)

# Full DHCP DORA for static reservations, measured by Kea's perfdhcp from a
# second network namespace, against serve, ISC dhcpd, Kea and dnsmasq each on
# the configuration pxefarm emits (bench/dhcp-dora.sh; root only).
bench-dora: build
	bash bench/dhcp-dora.sh $(BIN)

# A boot storm: STORM_NODES (default 1000) simulated PXE clients doing DHCP,
# then NBP, config, kernel and initrd over TFTP, and again over HTTP (iPXE),
# against pxefarm serve and dnsmasq (bench/storm.sh; root only).
bench-storm: build image
	bash bench/storm.sh $(BIN)

# Lockstep TFTP (windowsize 1) at 64 clients against tftpd-hpa, server CPU per
# block over its forked children too (bench/lockstep.sh).
bench-lockstep: build
	bash bench/lockstep.sh $(BIN)

# serve's memory against dnsmasq: the Swift runtime and NIO floors, idle, and
# growth per transfer at 1000 lockstep clients (bench/memory.sh; root only).
bench-memory: build
	bash bench/memory.sh $(BIN)

bench-tarball: build image
	bash bench/tarball.sh $(BIN)

bench-multiserver: build image
	bash bench/multiserver.sh $(BIN)

# libFuzzer on every parser (Fuzz/README.md): FUZZ_SECONDS each (default 180),
# FUZZ_TARGETS to pick some, FUZZ_JOBS to run several at once. Prints bench lines.
FUZZ_SECONDS ?= 180
fuzz: deps
	FUZZ_SECONDS=$(FUZZ_SECONDS) SWIFT=$(SWIFT) bash Fuzz/run.sh

install: build
	install -D -m 0755 $(BIN) $(DESTDIR)$(PREFIX)/bin/pxefarm
	mkdir -p $(DESTDIR)$(PREFIX)/share/pxefarm
	cp -R templates $(DESTDIR)$(PREFIX)/share/pxefarm/
	install -D -m 0644 README.md $(DESTDIR)$(PREFIX)/share/doc/pxefarm/README.md
	$(MAKE) --no-print-directory install-unit

# The systemd unit for `pxefarm serve`, with the installed paths filled in.
install-unit:
	mkdir -p $(DESTDIR)$(SYSTEMD_UNIT_DIR)
	sed -e 's|@BINDIR@|$(PREFIX)/bin|g' -e 's|@DOCDIR@|$(PREFIX)/share/doc/pxefarm|g' \
		templates/systemd/pxefarm.service > $(DESTDIR)$(SYSTEMD_UNIT_DIR)/pxefarm.service
	chmod 0644 $(DESTDIR)$(SYSTEMD_UNIT_DIR)/pxefarm.service

clean:
	rm -rf .build .build-fuzz .build-static out pxefarm_*.deb
