/*
 * storm-load: a boot-storm generator for bench/storm.sh.
 *
 * NODES simulated PXE clients, one thread, one epoll loop. Each node starts at
 * its own moment within RAMP_MS and then does what a PXE ROM and pxelinux (or
 * iPXE) do:
 *   1. DHCP DISCOVER / OFFER / REQUEST / ACK, broadcast from port 68 with the
 *      broadcast flag, option 60 "PXEClient...", 93 = 0 (BIOS) and, in http
 *      mode, option 77 "iPXE". One socket on port 68 serves all nodes; replies
 *      are matched by xid and chaddr.
 *   2. When the ACK names no boot file but carries a PXE menu (option 43
 *      tag 9), boot-server discovery: a REQUEST with 43.71 (the first item's
 *      type, layer 0) unicast to the server's port 4011, from the node's
 *      address (IP_PKTINFO); its ACK names the file.
 *   3. tftp mode: the NBP, then pxelinux.cfg/01-<mac> beside it, then the
 *      LINUX/KERNEL and INITRD files that config names, each by TFTP from the
 *      node's own address with blksize BLKSIZE and tsize, windowsize 1
 *      (lockstep, as PXE ROMs do). A lost block is recovered by re-sending
 *      the last ACK (or the RRQ) after TIMEOUT_MS, doubling up to 8 s.
 *      http mode: the file the ACK names is an http:// URL (the iPXE script);
 *      GET it, then the `kernel` and `initrd` URLs in it, on one kept
 *      connection per node (HTTP/1.1).
 * A node is done when its initrd has arrived in full (its size is checked
 * against INITRD_SIZE, the kernel's against KERNEL_SIZE). A node that gets an
 * error, a wrong size, or exhausts its retries fails; so does every node still
 * unfinished at DEADLINE_S: the loop is bounded and always ends.
 *
 * The node addresses must be local to the generator's namespace (the script
 * adds them to its interface), so that the server's replies reach us.
 *
 * Prints one line of key=value pairs: nodes, done, failures, retransmissions
 * (our timeouts), duplicates (blocks the server sent twice), completion_s
 * (first start to last initrd), p50_s / p99_s / max_s per node, bytes, and
 * the generator's own CPU (cpu_s, cpu_core_pct). Failures are also listed,
 * at most 10, on standard error.
 *
 * Usage: storm-load MODE IFACE NODES-FILE KERNEL_SIZE INITRD_SIZE BLKSIZE
 *                   RAMP_MS TIMEOUT_MS DEADLINE_S [SERVER PORT FILE]
 * MODE is tftp or http; NODES-FILE has one "MAC IP" per line.
 *
 * MODE lockstep is plain TFTP throughput, no DHCP (IFACE is ignored): each
 * node fetches FILE (KERNEL_SIZE bytes) from SERVER:PORT again and again for
 * DEADLINE_S seconds, windowsize 1; the line adds transfers and mibps, and
 * failures counts transfers that failed (a transfer cut by the end is not one).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum phase { WAITING, DISCOVERING, REQUESTING, DISCOVERING_SERVER, FETCHING, DONE, FAILED };
enum { NBP, CONFIG, KERNEL, INITRD, FILES };
enum { TEXT_MAX = 8192, PATH_MAX_ = 256, DHCP_TRIES = 4, TFTP_TRIES = 8, HTTP_TRIES = 3 };

struct node {
    uint8_t mac[6];
    struct in_addr ip;
    int phase, file, tries, fd;
    uint32_t xid, offered, server;
    double start, done, timer, rto;
    char path[FILES][PATH_MAX_];
    uint16_t menu_type;
    /* the current transfer */
    long got, expected;
    char text[TEXT_MAX];
    int text_len;
    /* tftp */
    uint16_t next_block;
    int blksize, connected;
    unsigned char last[PATH_MAX_ + 64];
    int last_len;
    struct sockaddr_in peer;
    /* http */
    int http_connected, in_body, status;
    char head[4096];
    int head_len;
    long content_length;
};

static struct node *nodes;
static int count, epfd, dhcp_fd = -1, http_mode, lockstep_mode, blksize, timeout_ms, tftp_port = 69;
static long kernel_size, initrd_size;
static long retransmissions, duplicates, total_bytes, failures_listed, transfers, failed_transfers;
static double deadline;
static struct in_addr http_server;
static int http_port;
static unsigned char buffer[1 << 16];

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void start_file(struct node *n, double t);

static void fail(struct node *n, const char *why) {
    if (n->phase == DONE || n->phase == FAILED) return;
    if (lockstep_mode && strcmp(why, "unfinished at the deadline") == 0) {
        total_bytes += n->got;   /* what the cut transfer moved counts */
        if (n->fd >= 0) { close(n->fd); n->fd = -1; }
        n->phase = DONE;
        return;
    }
    if (failures_listed++ < 10) {
        fprintf(stderr, "storm-load: node %02x:%02x:%02x:%02x:%02x:%02x (%s) failed at file %d: %s\n",
                n->mac[0], n->mac[1], n->mac[2], n->mac[3], n->mac[4], n->mac[5], inet_ntoa(n->ip), n->file, why);
    }
    if (n->fd >= 0) { close(n->fd); n->fd = -1; }
    n->phase = FAILED;
    if (lockstep_mode) {   /* count it and fetch again */
        failed_transfers++;
        n->phase = FETCHING;
        start_file(n, now());
    }
}

/* --- DHCP ------------------------------------------------------------------ */

static const char pxe_class[] = "PXEClient:Arch:00000:UNDI:002001";

static int put_option(unsigned char *p, int code, const void *data, int len) {
    p[0] = code;
    p[1] = len;
    memcpy(p + 2, data, len);
    return len + 2;
}

/* A DHCP request of TYPE from node N (1 DISCOVER, 3 REQUEST); to 4011 when boot. */
static void send_dhcp(struct node *n, int type, int boot) {
    unsigned char p[548];
    memset(p, 0, sizeof p);
    p[0] = 1; p[1] = 1; p[2] = 6;
    memcpy(p + 4, &n->xid, 4);
    if (boot) memcpy(p + 12, &n->ip, 4);           /* ciaddr */
    else p[10] = 0x80;                               /* broadcast flag */
    memcpy(p + 28, n->mac, 6);
    static const unsigned char cookie[] = {99, 130, 83, 99};
    memcpy(p + 236, cookie, 4);
    int i = 240;
    unsigned char t = type;
    i += put_option(p + i, 53, &t, 1);
    if (type == 3 && !boot) {
        i += put_option(p + i, 50, &n->offered, 4);
        i += put_option(p + i, 54, &n->server, 4);
    }
    static const unsigned char size[] = {0x05, 0xc0};    /* 1472 */
    i += put_option(p + i, 57, size, 2);
    static const unsigned char params[] = {1, 3, 6, 12, 15, 17, 43, 54, 60, 66, 67, 128, 129, 130, 131, 132, 133, 134, 135, 175};
    i += put_option(p + i, 55, params, sizeof params);
    i += put_option(p + i, 60, pxe_class, sizeof pxe_class - 1);
    static const unsigned char arch[] = {0, 0}, undi[] = {1, 2, 1};
    i += put_option(p + i, 93, arch, 2);
    i += put_option(p + i, 94, undi, 3);
    unsigned char guid[17] = {0};
    memcpy(guid + 11, n->mac, 6);
    i += put_option(p + i, 97, guid, 17);
    if (http_mode) i += put_option(p + i, 77, "iPXE", 4);
    if (boot) {
        unsigned char item[7] = {71, 4, n->menu_type >> 8, n->menu_type & 255, 0, 0, 255};
        i += put_option(p + i, 43, item, 7);
    }
    p[i++] = 255;
    if (i < 300) i = 300;

    struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons(boot ? 4011 : 67)};
    to.sin_addr.s_addr = boot ? n->server : INADDR_BROADCAST;
    struct iovec iov = {p, i};
    char control[CMSG_SPACE(sizeof(struct in_pktinfo))];
    struct msghdr msg = {.msg_name = &to, .msg_namelen = sizeof to, .msg_iov = &iov, .msg_iovlen = 1};
    if (boot) {  /* from the node's own address */
        memset(control, 0, sizeof control);
        msg.msg_control = control;
        msg.msg_controllen = sizeof control;
        struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
        c->cmsg_level = IPPROTO_IP;
        c->cmsg_type = IP_PKTINFO;
        c->cmsg_len = CMSG_LEN(sizeof(struct in_pktinfo));
        ((struct in_pktinfo *)CMSG_DATA(c))->ipi_spec_dst = n->ip;
    }
    if (sendmsg(dhcp_fd, &msg, 0) < 0 && errno != EAGAIN) perror("storm-load: sendmsg");
}

static void dhcp_timer(struct node *n, double t, int first) {
    n->tries = first ? 1 : n->tries + 1;
    n->rto = first ? 4 : n->rto * 2;    /* PXE: 4, 8, 16, 32 s */
    n->timer = t + n->rto;
}

/* Finds option CODE in a reply's options; returns its length or -1. */
static int find_option(const unsigned char *p, int len, int code, const unsigned char **out) {
    int i = 240;
    while (i < len) {
        int c = p[i];
        if (c == 255) break;
        if (c == 0) { i++; continue; }
        if (i + 1 >= len || i + 2 + p[i + 1] > len) break;
        if (c == code) { *out = p + i + 2; return p[i + 1]; }
        i += 2 + p[i + 1];
    }
    return -1;
}

/* The boot file of an ACK: `file`, else option 67; empty when neither. */
static void boot_file(struct node *n, const unsigned char *p, int len) {
    const unsigned char *o;
    int l;
    char name[PATH_MAX_] = "";
    memcpy(name, p + 108, 128);
    name[128] = 0;
    if (!name[0] && (l = find_option(p, len, 67, &o)) > 0) {
        memcpy(name, o, l);
        name[l] = 0;
    }
    snprintf(n->path[NBP], PATH_MAX_, "%s", name);
}

static void dhcp_readable(double t) {
    for (;;) {
        ssize_t len = recv(dhcp_fd, buffer, sizeof buffer, MSG_DONTWAIT);
        if (len < 0) return;
        if (len < 240 || buffer[0] != 2) continue;
        uint32_t xid;
        memcpy(&xid, buffer + 4, 4);
        uint32_t index = ntohl(xid) & 0xffffff;
        if ((ntohl(xid) >> 24) != 0x5f || index >= (uint32_t)count) continue;
        struct node *n = &nodes[index];
        if (memcmp(buffer + 28, n->mac, 6) != 0) continue;
        const unsigned char *o;
        if (find_option(buffer, len, 53, &o) != 1) continue;
        int type = o[0];
        if (type == 6) { fail(n, "DHCPNAK"); continue; }
        if (n->phase == DISCOVERING && type == 2) {
            memcpy(&n->offered, buffer + 16, 4);
            if (find_option(buffer, len, 54, &o) == 4) memcpy(&n->server, o, 4);
            if (n->offered != n->ip.s_addr) { fail(n, "offered another address"); continue; }
            n->phase = REQUESTING;
            send_dhcp(n, 3, 0);
            dhcp_timer(n, t, 1);
        } else if ((n->phase == REQUESTING || n->phase == DISCOVERING_SERVER) && type == 5) {
            boot_file(n, buffer, len);
            if (n->path[NBP][0]) {
                start_file(n, t);
                continue;
            }
            int l = find_option(buffer, len, 43, &o);
            /* the first non-local item of the menu (tag 9: type, length, text) */
            for (int i = 0; n->phase == REQUESTING && l > 0 && i + 1 < l;) {
                int tag = o[i], tl = o[i + 1];
                if (tag == 255) break;
                if (tag == 9) {
                    for (int j = i + 2; j + 3 <= i + 2 + tl; j += 3 + o[j + 2]) {
                        uint16_t type = o[j] << 8 | o[j + 1];
                        if (type != 0) { n->menu_type = type; break; }
                    }
                }
                i += 2 + tl;
            }
            if (n->phase == REQUESTING && n->menu_type) {
                n->phase = DISCOVERING_SERVER;
                send_dhcp(n, 3, 1);
                dhcp_timer(n, t, 1);
            } else {
                fail(n, "ACK without a boot file or a menu item");
            }
        }
    }
}

/* --- files ------------------------------------------------------------------ */

static void watch(struct node *n, uint32_t events) {
    struct epoll_event ev = {.events = events, .data.u32 = n - nodes};
    epoll_ctl(epfd, EPOLL_CTL_ADD, n->fd, &ev);
}

static int bound_socket(struct node *n, int type) {
    int s = socket(AF_INET, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (s < 0) return -1;
    struct sockaddr_in local = {.sin_family = AF_INET, .sin_addr = n->ip};
    if (bind(s, (struct sockaddr *)&local, sizeof local) < 0) { close(s); return -1; }
    return s;
}

static void send_last(struct node *n) {
    if (n->connected) send(n->fd, n->last, n->last_len, 0);
    else sendto(n->fd, n->last, n->last_len, 0, (struct sockaddr *)&n->peer, sizeof n->peer);
}

static void tftp_start(struct node *n, double t) {
    n->fd = bound_socket(n, SOCK_DGRAM);
    if (n->fd < 0) { fail(n, "socket"); return; }
    n->connected = 0;
    n->next_block = 1;
    n->blksize = 512;
    n->peer = (struct sockaddr_in){.sin_family = AF_INET, .sin_port = htons(tftp_port), .sin_addr.s_addr = n->server};
    int i = 2;
    n->last[0] = 0; n->last[1] = 1;
    i += sprintf((char *)n->last + i, "%s", n->path[n->file]) + 1;
    i += sprintf((char *)n->last + i, "octet") + 1;
    i += sprintf((char *)n->last + i, "blksize") + 1;
    i += sprintf((char *)n->last + i, "%d", blksize) + 1;
    i += sprintf((char *)n->last + i, "tsize") + 1;
    i += sprintf((char *)n->last + i, "0") + 1;
    n->last_len = i;
    watch(n, EPOLLIN);
    send_last(n);
    n->tries = 0;
    n->rto = timeout_ms / 1000.0;
    n->timer = t + n->rto;
}

static void http_send(struct node *n) {
    /* path[file] is "http://HOST:PORT/PATH" */
    const char *p = n->path[n->file];
    const char *slash = strchr(p + 7, '/');
    char request[PATH_MAX_ + 128];
    int len = snprintf(request, sizeof request, "GET %s HTTP/1.1\r\nHost: %.*s\r\nUser-Agent: storm-load (iPXE)\r\n\r\n",
                       slash ? slash : "/", (int)((slash ? slash : p + strlen(p)) - (p + 7)), p + 7);
    if (send(n->fd, request, len, MSG_NOSIGNAL) != len) fail(n, "HTTP request not sent");
}

static void http_start(struct node *n, double t) {
    const char *p = n->path[n->file];
    if (strncmp(p, "http://", 7) != 0) { fail(n, "not an http:// URL"); return; }
    n->got = 0;
    n->in_body = 0;
    n->head_len = 0;
    n->content_length = -1;
    n->timer = t + 10;
    if (n->fd >= 0 && n->http_connected) { http_send(n); return; }
    if (n->fd >= 0) close(n->fd);
    n->fd = bound_socket(n, SOCK_STREAM);
    if (n->fd < 0) { fail(n, "socket"); return; }
    n->http_connected = 0;
    struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons(http_port), .sin_addr = http_server};
    if (connect(n->fd, (struct sockaddr *)&to, sizeof to) < 0 && errno != EINPROGRESS) { fail(n, "connect"); return; }
    watch(n, EPOLLIN | EPOLLOUT);
}

static void start_file(struct node *n, double t) {
    if (n->phase != FETCHING) {
        n->phase = FETCHING;
        n->file = NBP;
        n->fd = -1;
        if (http_mode) {
            /* the script's URL names the server */
            char host[64] = "";
            int port = 80;
            sscanf(n->path[NBP], "http://%63[^:/]:%d", host, &port);
            inet_aton(host, &http_server);
            http_port = port;
        }
    }
    n->got = 0;
    n->text_len = 0;
    n->expected = n->file == KERNEL ? kernel_size : n->file == INITRD ? initrd_size : 0;
    if (http_mode) http_start(n, t);
    else tftp_start(n, t);
}

/* The kernel and initrd the config (pxelinux) or the script (iPXE) names. */
static int parse_text(struct node *n) {
    char prefix[PATH_MAX_] = "";
    const char *slash = strrchr(n->path[NBP], '/');
    if (!http_mode && slash) snprintf(prefix, sizeof prefix, "%.*s", (int)(slash - n->path[NBP] + 1), n->path[NBP]);
    n->text[n->text_len < TEXT_MAX ? n->text_len : TEXT_MAX - 1] = 0;
    n->path[KERNEL][0] = n->path[INITRD][0] = 0;
    for (char *line = strtok(n->text, "\r\n"); line; line = strtok(NULL, "\r\n")) {
        char word[32], value[PATH_MAX_];
        if (sscanf(line, " %31s %255s", word, value) != 2) continue;
        int target = -1;
        if (!strcasecmp(word, http_mode ? "kernel" : "linux") || (!http_mode && !strcasecmp(word, "kernel"))) target = KERNEL;
        if (!strcasecmp(word, "initrd")) target = INITRD;
        if (target < 0 || n->path[target][0]) continue;
        if (http_mode || value[0] == '/') snprintf(n->path[target], PATH_MAX_, "%s", value);
        else snprintf(n->path[target], PATH_MAX_, "%s%s", prefix, value);
    }
    return n->path[KERNEL][0] && n->path[INITRD][0];
}

static void file_done(struct node *n, double t) {
    total_bytes += n->got;
    if (n->expected > 0 && n->got != n->expected) {
        char why[96];
        snprintf(why, sizeof why, "%ld bytes, expected %ld", n->got, n->expected);
        fail(n, why);
        return;
    }
    if (!http_mode) { close(n->fd); n->fd = -1; }
    transfers++;
    if (lockstep_mode) {
        start_file(n, t);
        return;
    }
    if (n->file == NBP && http_mode) {
        /* the NBP is the script itself */
        if (!parse_text(n)) { fail(n, "no kernel and initrd in the iPXE script"); return; }
        n->file = KERNEL;
    } else if (n->file == NBP) {
        const char *slash = strrchr(n->path[NBP], '/');
        int dir = slash ? (int)(slash - n->path[NBP] + 1) : 0;
        snprintf(n->path[CONFIG], PATH_MAX_, "%.*spxelinux.cfg/01-%02x-%02x-%02x-%02x-%02x-%02x", dir, n->path[NBP],
                 n->mac[0], n->mac[1], n->mac[2], n->mac[3], n->mac[4], n->mac[5]);
        n->file = CONFIG;
    } else if (n->file == CONFIG) {
        if (!parse_text(n)) { fail(n, "no LINUX and INITRD in the pxelinux file"); return; }
        n->file = KERNEL;
    } else if (n->file == KERNEL) {
        n->file = INITRD;
    } else {
        if (n->fd >= 0) { close(n->fd); n->fd = -1; }
        n->phase = DONE;
        n->done = t;
        return;
    }
    start_file(n, t);
}

static void keep_text(struct node *n, const unsigned char *p, long len) {
    if (n->file != NBP && n->file != CONFIG) return;
    long room = TEXT_MAX - 1 - n->text_len;
    if (len > room) len = room;
    memcpy(n->text + n->text_len, p, len);
    n->text_len += len;
}

static void tftp_readable(struct node *n, double t) {
    for (;;) {
        struct sockaddr_in from;
        socklen_t fl = sizeof from;
        ssize_t len = recvfrom(n->fd, buffer, sizeof buffer, MSG_DONTWAIT, (struct sockaddr *)&from, &fl);
        if (len < 0) return;
        if (len < 4 || from.sin_addr.s_addr != n->server) continue;
        int op = buffer[1];
        /* Until the TID is known only an answer to the RRQ fixes it: a reused
         * ephemeral port can still receive a retransmission of an earlier
         * transfer's last DATA, and taking that TID would send our RRQ to it. */
        if (!n->connected && !(op == 6 || op == 5 || (op == 3 && buffer[2] == 0 && buffer[3] == 1))) continue;
        if (!n->connected) {
            n->peer = from;
            connect(n->fd, (struct sockaddr *)&from, sizeof from);
            n->connected = 1;
        }
        if (op == 5) {
            char why[128];
            snprintf(why, sizeof why, "TFTP error %d: %.*s", buffer[3], (int)(len > 100 ? 96 : len - 4), buffer + 4);
            fail(n, why);
            return;
        }
        if (op == 6 && n->next_block == 1 && n->got == 0) {
            for (ssize_t i = 2; i < len;) {
                const char *name = (const char *)buffer + i;
                size_t nl = strnlen(name, len - i);
                const char *value = name + nl + 1;
                if (i + (ssize_t)nl + 1 >= len) break;
                size_t vl = strnlen(value, len - i - nl - 1);
                if (!strcasecmp(name, "blksize")) n->blksize = atoi(value);
                i += nl + vl + 2;
            }
            n->last[0] = 0; n->last[1] = 4; n->last[2] = 0; n->last[3] = 0;
            n->last_len = 4;
            send_last(n);
        } else if (op == 3) {
            uint16_t block = buffer[2] << 8 | buffer[3];
            if (block == n->next_block) {
                long data = len - 4;
                n->got += data;
                keep_text(n, buffer + 4, data);
                n->last[0] = 0; n->last[1] = 4; n->last[2] = buffer[2]; n->last[3] = buffer[3];
                n->last_len = 4;
                send_last(n);
                n->next_block++;
                n->tries = 0;
                n->rto = timeout_ms / 1000.0;
                n->timer = t + n->rto;
                if (data < n->blksize) { file_done(n, t); return; }
            } else if (block == (uint16_t)(n->next_block - 1)) {
                duplicates++;
                send_last(n);
            }
        }
    }
}

static void http_readable(struct node *n, double t, uint32_t events) {
    if (!n->http_connected && (events & EPOLLOUT)) {
        int err = 0;
        socklen_t el = sizeof err;
        getsockopt(n->fd, SOL_SOCKET, SO_ERROR, &err, &el);
        if (err) { fail(n, strerror(err)); return; }
        n->http_connected = 1;
        struct epoll_event ev = {.events = EPOLLIN, .data.u32 = n - nodes};
        epoll_ctl(epfd, EPOLL_CTL_MOD, n->fd, &ev);
        http_send(n);
        return;
    }
    for (;;) {
        ssize_t len = recv(n->fd, buffer, sizeof buffer, MSG_DONTWAIT);
        if (len == 0) { fail(n, "connection closed"); return; }
        if (len < 0) return;
        n->timer = t + 10;
        const unsigned char *p = buffer;
        if (!n->in_body) {
            long take = len;
            if (take > (long)sizeof n->head - 1 - n->head_len) take = sizeof n->head - 1 - n->head_len;
            memcpy(n->head + n->head_len, p, take);
            n->head_len += take;
            n->head[n->head_len] = 0;
            char *end = strstr(n->head, "\r\n\r\n");
            if (!end) {
                if (n->head_len >= (int)sizeof n->head - 1) { fail(n, "HTTP header too long"); return; }
                continue;
            }
            long header_bytes = end + 4 - n->head;
            n->status = atoi(n->head + 9);
            char *cl = strcasestr(n->head, "\r\ncontent-length:");
            n->content_length = cl ? atol(cl + 17) : -1;
            if (n->status != 200 || n->content_length < 0) {
                char why[64];
                snprintf(why, sizeof why, "HTTP status %d, length %ld", n->status, n->content_length);
                fail(n, why);
                return;
            }
            n->in_body = 1;
            long rest = header_bytes - (n->head_len - take);   /* header bytes in this read */
            p += rest;
            len -= rest;
        }
        n->got += len;
        keep_text(n, p, len);
        if (n->got > n->content_length) { fail(n, "more bytes than Content-Length"); return; }
        if (n->got == n->content_length) { file_done(n, t); return; }
    }
}

/* --- timers ---------------------------------------------------------------- */

static void expire(struct node *n, double t) {
    if (n->phase == WAITING) {
        n->phase = DISCOVERING;
        send_dhcp(n, 1, 0);
        dhcp_timer(n, t, 1);
        return;
    }
    if (n->phase == DISCOVERING || n->phase == REQUESTING || n->phase == DISCOVERING_SERVER) {
        if (n->tries >= DHCP_TRIES) { fail(n, "no DHCP answer"); return; }
        retransmissions++;
        /* a lost REQUEST is sent again, as PXE ROMs do */
        send_dhcp(n, n->phase == DISCOVERING ? 1 : 3, n->phase == DISCOVERING_SERVER);
        dhcp_timer(n, t, 0);
        return;
    }
    if (n->phase != FETCHING) return;
    if (http_mode) { fail(n, "no HTTP progress for 10 s"); return; }
    if (++n->tries > TFTP_TRIES) { fail(n, "TFTP timed out"); return; }
    retransmissions++;
    send_last(n);
    n->rto = n->rto * 2 > 8 ? 8 : n->rto * 2;
    n->timer = t + n->rto;
}

static int by_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
    lockstep_mode = argc == 13 && strcmp(argv[1], "lockstep") == 0;
    if (argc != 10 && !lockstep_mode) {
        fprintf(stderr, "usage: storm-load tftp|http IFACE NODES-FILE KERNEL_SIZE INITRD_SIZE BLKSIZE RAMP_MS TIMEOUT_MS DEADLINE_S\n"
                        "       storm-load lockstep - NODES-FILE FILE_SIZE 0 BLKSIZE RAMP_MS TIMEOUT_MS SECONDS SERVER PORT FILE\n");
        return 2;
    }
    http_mode = strcmp(argv[1], "http") == 0;
    kernel_size = atol(argv[4]);
    initrd_size = atol(argv[5]);
    blksize = atoi(argv[6]);
    double ramp = atof(argv[7]) / 1000;
    timeout_ms = atoi(argv[8]);
    double limit = atof(argv[9]);

    FILE *f = fopen(argv[3], "r");
    if (!f) { perror(argv[3]); return 2; }
    char mac[32], ip[32];
    int cap = 1024;
    nodes = calloc(cap, sizeof *nodes);
    while (fscanf(f, "%31s %31s", mac, ip) == 2) {
        if (count == cap) { cap *= 2; nodes = realloc(nodes, cap * sizeof *nodes); }
        struct node *n = &nodes[count];
        memset(n, 0, sizeof *n);
        unsigned m[6];
        if (sscanf(mac, "%x:%x:%x:%x:%x:%x", &m[0], &m[1], &m[2], &m[3], &m[4], &m[5]) != 6 || !inet_aton(ip, &n->ip)) {
            fprintf(stderr, "%s:%d: not \"MAC IP\"\n", argv[3], count + 1);
            return 2;
        }
        for (int i = 0; i < 6; i++) n->mac[i] = m[i];
        n->xid = htonl(0x5f000000u | count);
        n->fd = -1;
        count++;
    }
    fclose(f);
    if (count == 0 || count > 0xffffff) { fprintf(stderr, "%s: no nodes\n", argv[3]); return 2; }
    epfd = epoll_create1(0);
    if (lockstep_mode) {
        struct in_addr server;
        if (!inet_aton(argv[10], &server)) { fprintf(stderr, "%s: not an IPv4 address\n", argv[10]); return 2; }
        tftp_port = atoi(argv[11]);
        for (int i = 0; i < count; i++) {
            nodes[i].server = server.s_addr;
            nodes[i].phase = FETCHING;
            nodes[i].file = KERNEL;
            snprintf(nodes[i].path[KERNEL], PATH_MAX_, "%s", argv[12]);
        }
        goto run;
    }

    dhcp_fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
    int one = 1, big = 8 << 20;
    setsockopt(dhcp_fd, SOL_SOCKET, SO_BROADCAST, &one, sizeof one);
    setsockopt(dhcp_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    setsockopt(dhcp_fd, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof big);
    setsockopt(dhcp_fd, SOL_SOCKET, SO_SNDBUFFORCE, &big, sizeof big);
    if (setsockopt(dhcp_fd, SOL_SOCKET, SO_BINDTODEVICE, argv[2], strlen(argv[2])) < 0) { perror("SO_BINDTODEVICE"); return 2; }
    struct sockaddr_in any = {.sin_family = AF_INET, .sin_port = htons(68)};
    if (bind(dhcp_fd, (struct sockaddr *)&any, sizeof any) < 0) { perror("bind port 68"); return 2; }
    struct epoll_event ev = {.events = EPOLLIN, .data.u32 = 0xffffffffu};
    epoll_ctl(epfd, EPOLL_CTL_ADD, dhcp_fd, &ev);

run:;
    double t0 = now();
    deadline = t0 + limit;
    for (int i = 0; i < count; i++) {
        nodes[i].start = t0 + ramp * i / count;
        nodes[i].timer = nodes[i].start;
        if (lockstep_mode) nodes[i].timer = nodes[i].start + 1e9;   /* started below */
    }
    for (int i = 0; lockstep_mode && i < count; i++) start_file(&nodes[i], t0);
    struct epoll_event events[256];
    double last_scan = 0;
    int active = count;
    while (active > 0) {
        int ready = epoll_wait(epfd, events, 256, 5);
        double t = now();
        for (int e = 0; e < ready; e++) {
            uint32_t i = events[e].data.u32;
            if (i == 0xffffffffu) { dhcp_readable(t); continue; }
            struct node *n = &nodes[i];
            if (n->phase != FETCHING || n->fd < 0) continue;
            if (http_mode) http_readable(n, t, events[e].events);
            else tftp_readable(n, t);
        }
        if (t - last_scan < 0.005) continue;
        last_scan = t;
        active = 0;
        for (int i = 0; i < count; i++) {
            struct node *n = &nodes[i];
            if (n->phase == DONE || n->phase == FAILED) continue;
            if (t >= deadline) { fail(n, "unfinished at the deadline"); continue; }
            if (t >= n->timer) expire(n, t);
            if (n->phase != DONE && n->phase != FAILED) active++;
        }
    }

    double *times = malloc(count * sizeof *times), last = t0;
    int done = 0;
    for (int i = 0; i < count; i++) {
        if (nodes[i].phase != DONE) continue;
        times[done++] = nodes[i].done - nodes[i].start;
        if (nodes[i].done > last) last = nodes[i].done;
    }
    qsort(times, done, sizeof *times, by_double);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double cpu = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
    double wall = now() - t0;
    if (lockstep_mode) {
        printf("clients=%d transfers=%ld failures=%ld retransmissions=%ld duplicates=%ld bytes=%ld seconds=%.3f mibps=%.2f "
               "cpu_s=%.3f cpu_core_pct=%.0f\n",
               count, transfers, failed_transfers, retransmissions, duplicates, total_bytes, wall,
               total_bytes / wall / 1048576, cpu, cpu / wall * 100);
        return 0;
    }
    printf("nodes=%d done=%d failures=%d retransmissions=%ld duplicates=%ld completion_s=%.3f p50_s=%.3f p99_s=%.3f max_s=%.3f "
           "bytes=%ld cpu_s=%.3f cpu_core_pct=%.0f\n",
           count, done, count - done, retransmissions, duplicates, last - t0,
           done ? times[(done - 1) / 2] : 0, done ? times[(int)((done - 1) * 0.99)] : 0, done ? times[done - 1] : 0,
           total_bytes, cpu, cpu / wall * 100);
    return 0;
}
