/*
 * tftp-load: a TFTP read load generator for bench/serve.sh.
 *
 * CLIENTS threads each fetch FILE again and again for SECONDS, with the
 * requested blksize and windowsize (RFC 2348, 7440); a server that does not
 * acknowledge an option gets the RFC default (512 bytes, window 1). Each
 * client uses a fresh socket per transfer and connects it to the server's
 * transfer port once known, so the kernel filters strays and reads are
 * cheap. It ACKs the last block of each window, re-ACKs the last in-order
 * block when it sees a gap, and retransmits on a 1 s timeout.
 *
 * Prints one line of key=value pairs: bytes, seconds, MiB/s, completed
 * transfers, failures, and the generator's own CPU time (user, sys) and
 * its share of one core, so a saturated generator is visible.
 *
 * Usage: tftp-load HOST PORT FILE CLIENTS SECONDS BLKSIZE WINDOWSIZE EXPECTED_SIZE
 * BLKSIZE 0 sends no options at all.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static const char *host, *file;
static int port, clients, blksize, windowsize;
static long expected_size;
static double seconds;
static double deadline;
static atomic_long total_bytes, transfers, failures;

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static size_t put_string(unsigned char *p, const char *s) {
    size_t n = strlen(s) + 1;
    memcpy(p, s, n);
    return n;
}

/* Parses an OACK; returns 0 when it is well formed. */
static int parse_oack(const unsigned char *p, ssize_t n, int *bs, int *ws) {
    ssize_t i = 2;
    while (i < n) {
        const char *name = (const char *)p + i;
        size_t nl = strnlen(name, n - i);
        if (i + (ssize_t)nl >= n) return -1;
        i += nl + 1;
        const char *value = (const char *)p + i;
        size_t vl = strnlen(value, n - i);
        if (i + (ssize_t)vl >= n) return -1;
        i += vl + 1;
        if (strcasecmp(name, "blksize") == 0) *bs = atoi(value);
        else if (strcasecmp(name, "windowsize") == 0) *ws = atoi(value);
    }
    return 0;
}

/* One transfer; returns bytes received, or -1 on failure. */
static long fetch(struct sockaddr_in *server) {
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    if (s < 0) return -1;
    struct timeval tv = {1, 0};
    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    int rcvbuf = 4 << 20;
    setsockopt(s, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);

    unsigned char rrq[600], ack[4] = {0, 4, 0, 0}, *buf = malloc(65536 + 4);
    size_t len = 2;
    rrq[0] = 0; rrq[1] = 1;
    len += put_string(rrq + len, file);
    len += put_string(rrq + len, "octet");
    if (blksize > 0) {
        char v[16];
        len += put_string(rrq + len, "blksize");
        snprintf(v, sizeof v, "%d", blksize);
        len += put_string(rrq + len, v);
        if (windowsize > 1) {
            len += put_string(rrq + len, "windowsize");
            snprintf(v, sizeof v, "%d", windowsize);
            len += put_string(rrq + len, v);
        }
    }
    sendto(s, rrq, len, 0, (struct sockaddr *)server, sizeof *server);

    int bs = 512, ws = 1, connected = 0, retries = 0;
    uint16_t expect = 1;     /* next block wanted (wire number) */
    long received = 0, in_window = 0;
    for (;;) {
        struct sockaddr_in from;
        socklen_t fl = sizeof from;
        ssize_t n = connected ? recv(s, buf, 65540, 0) : recvfrom(s, buf, 65540, 0, (struct sockaddr *)&from, &fl);
        if (n < 0) {
            if (errno == EINTR) continue;
            if (++retries > 5) { received = -1; break; }
            if (connected) send(s, ack, 4, 0);
            else sendto(s, rrq, len, 0, (struct sockaddr *)server, sizeof *server);
            continue;
        }
        if (!connected) {
            if (connect(s, (struct sockaddr *)&from, fl) != 0) { received = -1; break; }
            connected = 1;
        }
        if (n < 4) continue;
        uint16_t op = buf[0] << 8 | buf[1], block = buf[2] << 8 | buf[3];
        if (op == 6) {                          /* OACK */
            if (parse_oack(buf, n, &bs, &ws) != 0) { received = -1; break; }
            ack[2] = ack[3] = 0;
            send(s, ack, 4, 0);
            continue;
        }
        if (op == 5) { received = -1; break; }  /* ERROR */
        if (op != 3) continue;
        if (block != expect) {
            /* A gap or a duplicate: re-acknowledge the last block in order. */
            if ((uint16_t)(block - expect) < 0x8000) {
                uint16_t last = expect - 1;
                ack[2] = last >> 8; ack[3] = last & 0xff;
                send(s, ack, 4, 0);
                in_window = 0;
            }
            continue;
        }
        retries = 0;
        long payload = n - 4;
        received += payload;
        expect++;
        in_window++;
        int last = payload < bs;
        if (last || in_window >= ws) {
            ack[2] = block >> 8; ack[3] = block & 0xff;
            send(s, ack, 4, 0);
            in_window = 0;
        }
        if (last) break;
    }
    free(buf);
    close(s);
    return received;
}

static void *client(void *arg) {
    struct sockaddr_in server;
    memset(&server, 0, sizeof server);
    server.sin_family = AF_INET;
    server.sin_port = htons(port);
    inet_pton(AF_INET, host, &server.sin_addr);
    (void)arg;
    while (now() < deadline) {
        long got = fetch(&server);
        if (got >= 0 && (expected_size < 0 || got == expected_size)) {
            atomic_fetch_add(&total_bytes, got);
            atomic_fetch_add(&transfers, 1);
        } else {
            atomic_fetch_add(&failures, 1);
        }
    }
    return NULL;
}

int main(int argc, char **argv) {
    if (argc != 9) {
        fprintf(stderr, "usage: %s HOST PORT FILE CLIENTS SECONDS BLKSIZE WINDOWSIZE EXPECTED_SIZE\n", argv[0]);
        return 2;
    }
    host = argv[1]; port = atoi(argv[2]); file = argv[3]; clients = atoi(argv[4]);
    seconds = atof(argv[5]); blksize = atoi(argv[6]); windowsize = atoi(argv[7]); expected_size = atol(argv[8]);
    double start = now();
    deadline = start + seconds;
    pthread_t *threads = calloc(clients, sizeof *threads);
    for (int i = 0; i < clients; i++) pthread_create(&threads[i], NULL, client, NULL);
    for (int i = 0; i < clients; i++) pthread_join(threads[i], NULL);
    double elapsed = now() - start;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double user = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6, sys = ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
    long bytes = atomic_load(&total_bytes);
    printf("bytes=%ld seconds=%.3f mibps=%.2f transfers=%ld failures=%ld cpu_user=%.2f cpu_sys=%.2f cpu_core_pct=%.0f\n",
           bytes, elapsed, bytes / elapsed / 1048576.0, atomic_load(&transfers), atomic_load(&failures),
           user, sys, 100.0 * (user + sys) / elapsed);
    return 0;
}
