/* bench/dhcp-load.c: a DHCP load generator for bench/serve-dhcp.sh.
 *
 *   dhcp-load IFACE SERVER_PORT CLIENT_PORT SECONDS OUTSTANDING NODES
 *
 * Broadcasts PXE DHCPDISCOVERs (options 53, 55, 57, 60 "PXEClient:...", 93,
 * 94, 97) from NODES MAC addresses 52:54:00:00:HH:LL (1..NODES) on IFACE,
 * keeping OUTSTANDING of them unanswered at a time: each reply (op 2 with one
 * of our xids) sends the next request; after 20 ms of silence the window is
 * sent again (lost packets). Prints one line:
 *   replies=N seconds=S rps=R resent=K cpu_core_pct=P
 * where P is this process's own CPU time over wall time (a saturated
 * generator measures itself, not the server).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static size_t build(uint8_t *p, uint32_t xid, int node) {
    memset(p, 0, 300);
    p[0] = 1; p[1] = 1; p[2] = 6;
    p[4] = xid >> 24; p[5] = xid >> 16; p[6] = xid >> 8; p[7] = xid;
    p[10] = 0x80; /* broadcast flag: both servers answer by broadcast */
    uint8_t mac[6] = {0x52, 0x54, 0x00, 0x00, (uint8_t)(node >> 8), (uint8_t)node};
    memcpy(p + 28, mac, 6);
    uint8_t cookie[4] = {99, 130, 83, 99};
    memcpy(p + 236, cookie, 4);
    size_t i = 240;
    const char *vendor = "PXEClient:Arch:00000:UNDI:002001";
    uint8_t head[] = {53, 1, 1, 55, 9, 1, 3, 6, 12, 15, 17, 28, 43, 60, 57, 2, 0x04, 0xEC};
    memcpy(p + i, head, sizeof head); i += sizeof head;
    p[i++] = 60; p[i++] = (uint8_t)strlen(vendor); memcpy(p + i, vendor, strlen(vendor)); i += strlen(vendor);
    uint8_t tail[] = {93, 2, 0, 0, 94, 3, 1, 2, 1, 97, 17, 0};
    memcpy(p + i, tail, sizeof tail); i += sizeof tail;
    for (int k = 0; k < 16; k++) p[i++] = (uint8_t)(node * 7 + k);
    p[i++] = 255;
    return i < 300 ? 300 : i;
}

int main(int argc, char **argv) {
    if (argc != 7) {
        fprintf(stderr, "usage: dhcp-load IFACE SERVER_PORT CLIENT_PORT SECONDS OUTSTANDING NODES\n");
        return 2;
    }
    const char *iface = argv[1];
    int server_port = atoi(argv[2]), client_port = atoi(argv[3]);
    double seconds = atof(argv[4]);
    int outstanding = atoi(argv[5]), nodes = atoi(argv[6]);
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    int one = 1, big = 8 << 20;
    setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &one, sizeof one);
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof big);
    if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, iface, strlen(iface) + 1) != 0) { perror("SO_BINDTODEVICE"); return 1; }
    struct sockaddr_in local = {.sin_family = AF_INET, .sin_port = htons(client_port), .sin_addr = {htonl(INADDR_ANY)}};
    if (bind(fd, (struct sockaddr *)&local, sizeof local) != 0) { perror("bind"); return 1; }
    struct sockaddr_in server = {.sin_family = AF_INET, .sin_port = htons(server_port), .sin_addr = {htonl(INADDR_BROADCAST)}};

    uint8_t packet[600], reply[2048];
    uint32_t base = 0x5A000000, next = 0;
    long replies = 0, resent = 0;
    double start = now(), end = start + seconds;
    struct rusage before;
    getrusage(RUSAGE_SELF, &before);
    for (int k = 0; k < outstanding; k++, next++) {
        size_t n = build(packet, base + next, (int)(next % nodes) + 1);
        sendto(fd, packet, n, 0, (struct sockaddr *)&server, sizeof server);
    }
    struct pollfd pfd = {.fd = fd, .events = POLLIN};
    while (now() < end) {
        int ready = poll(&pfd, 1, 20);
        if (ready <= 0) {
            for (int k = 0; k < outstanding; k++, next++) {
                size_t n = build(packet, base + next, (int)(next % nodes) + 1);
                sendto(fd, packet, n, 0, (struct sockaddr *)&server, sizeof server);
                resent++;
            }
            continue;
        }
        for (;;) {
            ssize_t got = recv(fd, reply, sizeof reply, MSG_DONTWAIT);
            if (got < 0) break;
            if (got < 240 || reply[0] != 2) continue;
            uint32_t xid = (uint32_t)reply[4] << 24 | reply[5] << 16 | reply[6] << 8 | reply[7];
            if ((xid & 0xFF000000) != base) continue;
            replies++;
            size_t n = build(packet, base + next, (int)(next % nodes) + 1);
            next++;
            sendto(fd, packet, n, 0, (struct sockaddr *)&server, sizeof server);
        }
    }
    double wall = now() - start;
    struct rusage after;
    getrusage(RUSAGE_SELF, &after);
    double cpu = (after.ru_utime.tv_sec - before.ru_utime.tv_sec) + (after.ru_utime.tv_usec - before.ru_utime.tv_usec) / 1e6
               + (after.ru_stime.tv_sec - before.ru_stime.tv_sec) + (after.ru_stime.tv_usec - before.ru_stime.tv_usec) / 1e6;
    printf("replies=%ld seconds=%.2f rps=%.0f resent=%ld cpu_core_pct=%.0f\n", replies, wall, replies / wall, resent, 100 * cpu / wall);
    return 0;
}
