/*
 * Kafka-protocol broker for local runs and tests: librdkafka's mock cluster
 * (rdkafka_mock.h) with topics pre-created from the project's topic manifest
 * and a line-based control channel on 127.0.0.1 for fault injection.
 *
 * The mock cluster has no controller, so topics cannot be created through the
 * Admin API; they are created here from a topics file ("<name> <partitions>"
 * per line) and on demand through the control channel.
 *
 * Control commands (one per line, answered with "ok ..." or "error ..."):
 *   ping                         liveness
 *   bootstraps                   the bootstrap.servers list
 *   down <broker-id|all>         broker stops accepting connections
 *   up <broker-id|all>           broker accepts connections again
 *   error <api-key> <code> <n>   the next n requests of that API fail with code
 *   clear-errors <api-key>       drop pending injected errors for that API
 *   rtt <broker-id|all> <ms>     add round-trip delay
 *   topic <name> <partitions>    create a topic
 */
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static volatile sig_atomic_t running = 1;
static void on_signal(int sig) { (void)sig; running = 0; }

static int broker_cnt = 3;
static rd_kafka_mock_cluster_t *mcluster;

static int parse_broker(const char *s) {
  if (strcmp(s, "all") == 0) return -1;
  return atoi(s);
}

static int create_topic(const char *name, int partitions, char *out, size_t outlen) {
  int rf = broker_cnt < 3 ? broker_cnt : 3;
  rd_kafka_resp_err_t err = rd_kafka_mock_topic_create(mcluster, name, partitions, rf);
  if (err) {
    snprintf(out, outlen, "error %s\n", rd_kafka_err2str(err));
    return -1;
  }
  snprintf(out, outlen, "ok\n");
  return 0;
}

static void handle_command(char *line, char *out, size_t outlen) {
  char cmd[64] = {0}, a[256] = {0}, b[64] = {0}, c[64] = {0};
  int n = sscanf(line, "%63s %255s %63s %63s", cmd, a, b, c);
  rd_kafka_resp_err_t err = RD_KAFKA_RESP_ERR_NO_ERROR;
  if (n < 1) { snprintf(out, outlen, "error empty command\n"); return; }
  if (strcmp(cmd, "ping") == 0) {
    snprintf(out, outlen, "ok pong\n");
  } else if (strcmp(cmd, "bootstraps") == 0) {
    snprintf(out, outlen, "ok %s\n", rd_kafka_mock_cluster_bootstraps(mcluster));
  } else if (strcmp(cmd, "down") == 0 && n >= 2) {
    err = rd_kafka_mock_broker_set_down(mcluster, parse_broker(a));
    snprintf(out, outlen, err ? "error %s\n" : "ok\n", rd_kafka_err2str(err));
  } else if (strcmp(cmd, "up") == 0 && n >= 2) {
    err = rd_kafka_mock_broker_set_up(mcluster, parse_broker(a));
    snprintf(out, outlen, err ? "error %s\n" : "ok\n", rd_kafka_err2str(err));
  } else if (strcmp(cmd, "error") == 0 && n >= 4) {
    int16_t api = (int16_t)atoi(a);
    rd_kafka_resp_err_t code = (rd_kafka_resp_err_t)atoi(b);
    int cnt = atoi(c);
    if (cnt <= 0 || cnt > 10000) { snprintf(out, outlen, "error count out of range\n"); return; }
    rd_kafka_resp_err_t *errs = calloc((size_t)cnt, sizeof(*errs));
    for (int i = 0; i < cnt; i++) errs[i] = code;
    rd_kafka_mock_push_request_errors_array(mcluster, api, (size_t)cnt, errs);
    free(errs);
    snprintf(out, outlen, "ok\n");
  } else if (strcmp(cmd, "clear-errors") == 0 && n >= 2) {
    rd_kafka_mock_clear_request_errors(mcluster, (int16_t)atoi(a));
    snprintf(out, outlen, "ok\n");
  } else if (strcmp(cmd, "rtt") == 0 && n >= 3) {
    err = rd_kafka_mock_broker_set_rtt(mcluster, parse_broker(a), atoi(b));
    snprintf(out, outlen, err ? "error %s\n" : "ok\n", rd_kafka_err2str(err));
  } else if (strcmp(cmd, "topic") == 0 && n >= 3) {
    create_topic(a, atoi(b), out, outlen);
  } else {
    snprintf(out, outlen, "error unknown command\n");
  }
}

static void serve_client(int fd) {
  char buf[1024];
  size_t len = 0;
  for (;;) {
    ssize_t r = read(fd, buf + len, sizeof(buf) - 1 - len);
    if (r <= 0) break;
    len += (size_t)r;
    buf[len] = 0;
    char *nl;
    while ((nl = strchr(buf, '\n')) != NULL) {
      *nl = 0;
      char out[1024];
      handle_command(buf, out, sizeof(out));
      if (write(fd, out, strlen(out)) < 0) return;
      size_t consumed = (size_t)(nl - buf) + 1;
      memmove(buf, nl + 1, len - consumed);
      len -= consumed;
      buf[len] = 0;
    }
    if (len >= sizeof(buf) - 1) break; /* line too long */
  }
}

static void usage(void) {
  fprintf(stderr, "usage: cit-kafka-mock [--brokers N] [--control-port P] [--topics FILE] [--ready-file FILE]\n");
  exit(2);
}

int main(int argc, char **argv) {
  int control_port = 0;
  const char *topics_file = NULL, *ready_file = NULL;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--brokers") == 0 && i + 1 < argc) broker_cnt = atoi(argv[++i]);
    else if (strcmp(argv[i], "--control-port") == 0 && i + 1 < argc) control_port = atoi(argv[++i]);
    else if (strcmp(argv[i], "--topics") == 0 && i + 1 < argc) topics_file = argv[++i];
    else if (strcmp(argv[i], "--ready-file") == 0 && i + 1 < argc) ready_file = argv[++i];
    else usage();
  }
  if (broker_cnt < 1) usage();

  signal(SIGINT, on_signal);
  signal(SIGTERM, on_signal);
  signal(SIGPIPE, SIG_IGN);

  char errstr[512];
  rd_kafka_conf_t *conf = rd_kafka_conf_new();
  rd_kafka_conf_set(conf, "log_level", "3", errstr, sizeof(errstr));
  rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
  if (!rk) { fprintf(stderr, "rd_kafka_new: %s\n", errstr); return 1; }
  mcluster = rd_kafka_mock_cluster_new(rk, broker_cnt);
  if (!mcluster) { fprintf(stderr, "could not create mock cluster\n"); return 1; }

  if (topics_file) {
    FILE *f = fopen(topics_file, "r");
    if (!f) { fprintf(stderr, "cannot open %s: %s\n", topics_file, strerror(errno)); return 1; }
    char name[256]; int parts;
    while (fscanf(f, "%255s %d", name, &parts) == 2) {
      char out[512];
      if (create_topic(name, parts, out, sizeof(out)) != 0) { fprintf(stderr, "topic %s: %s", name, out); return 1; }
    }
    fclose(f);
  }

  int lfd = socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  struct sockaddr_in addr = {0};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons((uint16_t)control_port);
  if (bind(lfd, (struct sockaddr *)&addr, sizeof(addr)) != 0 || listen(lfd, 16) != 0) {
    fprintf(stderr, "control channel bind 127.0.0.1:%d: %s\n", control_port, strerror(errno));
    return 1;
  }
  socklen_t alen = sizeof(addr);
  getsockname(lfd, (struct sockaddr *)&addr, &alen);

  const char *bootstraps = rd_kafka_mock_cluster_bootstraps(mcluster);
  if (ready_file) {
    char tmp[4096];
    snprintf(tmp, sizeof(tmp), "%s.tmp", ready_file);
    FILE *rf = fopen(tmp, "w");
    if (!rf) { fprintf(stderr, "cannot write %s\n", tmp); return 1; }
    fprintf(rf, "KAFKA_BROKERS=%s\nKAFKA_MOCK_CONTROL=127.0.0.1:%d\nKAFKA_MOCK_PID=%d\n", bootstraps,
            ntohs(addr.sin_port), (int)getpid());
    fclose(rf);
    rename(tmp, ready_file);
  }
  fprintf(stderr, "cit-kafka-mock: %d brokers at %s, control 127.0.0.1:%d\n", broker_cnt, bootstraps,
          ntohs(addr.sin_port));

  struct timeval tv = {.tv_sec = 1, .tv_usec = 0};
  while (running) {
    fd_set rfds;
    FD_ZERO(&rfds);
    FD_SET(lfd, &rfds);
    tv.tv_sec = 1;
    tv.tv_usec = 0;
    int s = select(lfd + 1, &rfds, NULL, NULL, &tv);
    if (s > 0 && FD_ISSET(lfd, &rfds)) {
      int cfd = accept(lfd, NULL, NULL);
      if (cfd >= 0) {
        struct timeval ct = {.tv_sec = 5, .tv_usec = 0};
        setsockopt(cfd, SOL_SOCKET, SO_RCVTIMEO, &ct, sizeof(ct));
        serve_client(cfd);
        close(cfd);
      }
    }
  }
  close(lfd);
  rd_kafka_mock_cluster_destroy(mcluster);
  rd_kafka_destroy(rk);
  return 0;
}
