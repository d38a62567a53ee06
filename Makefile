# jepoll: the chapter's epoll servers, in Java.
#   make run-server PORT=9190 [APP=chat] [MODE=level|edge] [LOOPS=2] [BUF=4] [SELECTOR=poll|native] [TRACE=1] ...
#   make run-client [HOST=127.0.0.1] [PORT=9190] [CLIENT=echo|chat|raw] [NAME=user1]
#   make run-server APP=chat BACKPLANE=nats://127.0.0.1:4222 [CLUSTER=main]   (a chat node of a cluster)
#   make run-cluster   (a local nats-server and three chat nodes on PORT, PORT+1, PORT+2; docs/cluster.md)
#   make test          (runs mvn test)
#   make demo-lt / make demo-et   (the chapter's trigger experiment: one loop, buffer 4, trace on)
#   make demo-et-stranded         (the chapter's warning for real: native EPOLLET, one read per edge)
#   make bench         (jepoll vs C epoll vs Netty: echo, chat, idle connections, capacity; docs/benchmarks.md)
#   make bench-idle    (the chapter's thesis alone: epoll vs poll as idle connections grow)
#   make syscalls      (the system calls behind epoll and poll, counted with strace)
#   make soak          (hours of hostile load in minutes: DURATION seconds each of echo and chat)
#   make torture       (every feature against every other, DURATION seconds of random seeds; SEED=... replays)
#   make mutation      (PIT's mutation score of the reactor, chat, echo and the option parser)
#   make bench-cluster (chat through a NATS broker: 1 node vs 3 nodes, same-node vs cross-node latency)

PORT      ?= 9190
HOST      ?= 127.0.0.1
APP       ?= echo
MODE      ?= edge
CLIENT    ?= echo
NAME      ?= user1
JAVA      ?= java
MVN       ?= mvn -B -q -Dstyle.color=never
# A small, steady footprint (docs/operators-manual.md, "Memory"): the serial collector (no GC threads, no
# concurrent-marking memory), a heap that starts at 8 MiB and is given back after a burst, at
# most 128 MiB (the default 10,000 idle connections take about 9 MiB of it), direct memory for
# the per-loop read buffers and chat's blocks, small thread stacks and code cache.
JAVA_OPTS ?= -XX:+UseSerialGC -Xms8m -Xmx128m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 \
  -XX:MaxDirectMemorySize=64m -Xss256k -XX:ReservedCodeCacheSize=32m

# The jar is built by a JDK 22 or later when one is installed, so that it carries the native
# backend's Java 22 layer; its main code is --release 17 either way, and runs on Java 17.
# Computed once (:=, and exported to the demos' recursive makes): each look runs javac -version.
ifeq ($(origin BUILD_JAVA_HOME),undefined)
BUILD_JAVA_HOME := $(shell for d in "$$JAVA_HOME" /usr/lib/jvm/*; do \
  [ -x "$$d/bin/javac" ] || continue; \
  v=$$("$$d/bin/javac" -version 2>&1 | sed -n 's/^javac \([0-9]*\).*/\1/p'); \
  [ -n "$$v" ] && [ "$$v" -ge 22 ] && { echo "$$d"; break; }; done)
endif
export BUILD_JAVA_HOME
# SELECTOR=native needs Java 22+: unless JAVA is given, it runs on the JDK that built the jar.
NATIVE_JAVA ?= $(if $(BUILD_JAVA_HOME),$(BUILD_JAVA_HOME)/bin/java,$(JAVA))
RUN_JAVA = $(if $(and $(filter native,$(SELECTOR)),$(filter file,$(origin JAVA))),$(NATIVE_JAVA),$(JAVA))

# Maven's own libraries call sun.misc.Unsafe, which JDK 24+ warns about on every build; the warnings
# are Maven's, not jepoll's, so they are silenced for Maven's JVM when it knows the flag (JDK 23+).
maven_opts = $(shell j="$(1)"; [ -n "$$j" ] || j="$$JAVA_HOME"; b=java; [ -n "$$j" ] && b="$$j/bin/java"; \
  v=$$("$$b" -version 2>&1 | sed -n '1s/.*version "\([0-9]*\).*/\1/p'); \
  [ -n "$$v" ] && [ "$$v" -ge 23 ] && echo --sun-misc-unsafe-memory-access=allow)
MVN_WITH = MAVEN_OPTS="$(strip $(call maven_opts,$(1)) $(MAVEN_OPTS))"

JAR            := target/jepoll.jar
MAIN_SOURCES   := $(shell find src/main -name '*.java' 2>/dev/null) pom.xml
CLIENT_DIR     := target/clients
CLIENT_SOURCES := $(shell find test-clients/src/main -name '*.java' 2>/dev/null)
CLIENT_STAMP   := $(CLIENT_DIR)/.built
# The NATS backplane: a module of its own (the server's jar keeps no dependency); docs/cluster.md.
CLUSTER_JAR     := cluster/target/jepoll-cluster.jar
CLUSTER_SOURCES := $(shell find cluster/src/main -type f 2>/dev/null) cluster/pom.xml
CLUSTER_CP      := $(JAR):$(CLUSTER_JAR):cluster/target/lib/*
NATS_SERVER     := $(or $(shell command -v nats-server 2>/dev/null),$(wildcard /usr/sbin/nats-server))
NATS_MISSING    := nats-server is not installed (Debian: apt-get install nats-server)

# Optional settings pass straight through to the server's options.
SERVER_OPTS = --port $(PORT) --app $(APP) --mode $(MODE) \
  $(if $(LOOPS),--loops $(LOOPS)) \
  $(if $(BUF),--buffer $(BUF)) \
  $(if $(SELECTOR),--selector $(SELECTOR)) \
  $(if $(filter 1 yes true,$(READ_ONCE)),--edge-read-once) \
  $(if $(MAX_EVENTS),--max-events $(MAX_EVENTS)) \
  $(if $(EDGE_READ_BUDGET),--edge-read-budget $(EDGE_READ_BUDGET)) \
  $(if $(HIGH_WATERMARK),--high-watermark $(HIGH_WATERMARK)) \
  $(if $(LOW_WATERMARK),--low-watermark $(LOW_WATERMARK)) \
  $(if $(MAX_CONNECTIONS),--max-connections $(MAX_CONNECTIONS)) \
  $(if $(BACKLOG),--backlog $(BACKLOG)) \
  $(if $(SEND_BUFFER),--send-buffer $(SEND_BUFFER)) \
  $(if $(BIND),--bind $(BIND)) \
  $(if $(MAX_LINE),--max-line $(MAX_LINE)) \
  $(if $(SLOW_CONSUMER_LIMIT),--slow-consumer-limit $(SLOW_CONSUMER_LIMIT)) \
  $(if $(STALL_TIMEOUT),--stall-timeout $(STALL_TIMEOUT)) \
  $(if $(GRACE),--grace $(GRACE)) \
  $(if $(WRITE_TIMEOUT),--write-timeout $(WRITE_TIMEOUT)) \
  $(if $(IDLE_TIMEOUT),--idle-timeout $(IDLE_TIMEOUT)) \
  $(if $(MEMORY_BUDGET),--memory-budget $(MEMORY_BUDGET)) \
  $(if $(STATS),--stats $(STATS)) \
  $(if $(filter 1 yes true,$(NODELAY_OFF)),--no-tcp-nodelay) \
  $(if $(filter 1 yes true,$(TRACE)),--trace) \
  $(if $(BACKPLANE),--backplane $(BACKPLANE)) \
  $(if $(CLUSTER),--cluster $(CLUSTER)) \
  $(ARGS)

.PHONY: jar-without-native-layer cluster run-cluster bench-cluster run-server run-client demo-lt demo-et demo-et-stranded test build clients bench bench-idle syscalls soak torture mutation clean

build: $(JAR)

# A jar built without a JDK 22+ (mvn package on JDK 17) has no native layer; once a JDK 22+ is
# here, make rebuilds it instead of answering "Nothing to be done" to SELECTOR=native.
JAR_LACKS_NATIVE := $(if $(BUILD_JAVA_HOME),$(shell [ -f target/jepoll.jar ] && \
  ! grep -qa 'META-INF/versions/22/' target/jepoll.jar && echo yes))

$(JAR): $(MAIN_SOURCES) $(if $(JAR_LACKS_NATIVE),jar-without-native-layer)
	@echo "building $(JAR)$(if $(BUILD_JAVA_HOME), with $(BUILD_JAVA_HOME) (the native backend's Java 22 layer included), with the default JDK (no JDK 22+ found: no native backend)) (the first time, Maven downloads its plugins first)"
	$(if $(BUILD_JAVA_HOME),JAVA_HOME=$(BUILD_JAVA_HOME)) $(call MVN_WITH,$(BUILD_JAVA_HOME)) $(MVN) -DskipTests package

jar-without-native-layer:
	@echo "$(JAR) has no native layer (built by a JDK before 22); rebuilding it with $(BUILD_JAVA_HOME)"

# With BACKPLANE, the node runs with the cluster module and the NATS client on its class path.
run-server: $(JAR) $(if $(BACKPLANE),$(CLUSTER_JAR))
	$(RUN_JAVA) $(JAVA_OPTS) $(if $(BACKPLANE),-cp "$(CLUSTER_CP)" dev.jepoll.cli.Main,-jar $(JAR)) $(strip $(SERVER_OPTS))

cluster: $(CLUSTER_JAR)

$(CLUSTER_JAR): $(JAR) $(CLUSTER_SOURCES)
	cd cluster && $(call MVN_WITH,) $(MVN) -DskipTests package

# A broker on NATS_PORT (default 4222) and three chat nodes on PORT, PORT+1, PORT+2; Ctrl+C stops them all.
run-cluster: $(JAR) $(CLUSTER_JAR)
	@[ -n "$(NATS_SERVER)" ] || { echo "make run-cluster: $(NATS_MISSING)" >&2; exit 1; }
	NATS_SERVER="$(NATS_SERVER)" JAVA="$(JAVA)" JAVA_OPTS="$(JAVA_OPTS)" CLASSPATH_NODES="$(CLUSTER_CP)" \
	  cluster/run-cluster.sh "$(PORT)" "$(or $(NATS_PORT),4222)" "$(or $(CLUSTER),main)" --mode $(MODE) $(if $(LOOPS),--loops $(LOOPS)) $(if $(STATS),--stats $(STATS)) $(ARGS)

# The chapter's experiment, on one loop as in the chapter: run-server with the demo's settings
# (each option may be given once, so the demo's win over MODE, LOOPS, BUF and TRACE).
demo-lt: $(JAR)
	@$(MAKE) --no-print-directory run-server MODE=level LOOPS=1 BUF=4 TRACE=1

demo-et: $(JAR)
	@$(MAKE) --no-print-directory run-server MODE=edge LOOPS=1 BUF=4 TRACE=1

# The chapter's warning, for real: native epoll, EPOLLET, one read per edge (docs/learners-guide.md: "The mistake, for real: stranded bytes").
demo-et-stranded: $(JAR)
	@$(MAKE) --no-print-directory run-server APP=echo MODE=edge LOOPS=1 BUF=4 TRACE=1 SELECTOR=native READ_ONCE=1

# The clients need nothing but the JDK, so plain javac builds them in a second.
clients: $(CLIENT_STAMP)

$(CLIENT_STAMP): $(CLIENT_SOURCES)
	@mkdir -p $(CLIENT_DIR)
	javac --release 17 -d $(CLIENT_DIR) $(CLIENT_SOURCES)
	@touch $@

# NAME goes through the environment and into double quotes, so "영희 님" (a space, any character)
# reaches the chat client as one argument.
export NAME
run-client: $(CLIENT_STAMP)
ifeq ($(CLIENT),chat)
	$(JAVA) -cp $(CLIENT_DIR) dev.jepoll.clients.ChatClient $(HOST) $(PORT) "$$NAME"
else ifeq ($(CLIENT),raw)
	$(JAVA) -cp $(CLIENT_DIR) dev.jepoll.clients.RawClient $(HOST) $(PORT)
else ifeq ($(CLIENT),echo)
	$(JAVA) -cp $(CLIENT_DIR) dev.jepoll.clients.EchoClient $(HOST) $(PORT)
else
	@echo "make run-client: CLIENT must be echo, chat or raw, got '$(CLIENT)'" >&2; exit 2
endif

# The server's tests, then the cluster module's (against a real nats-server; skipped, with one line, without it).
test:
	$(call MVN_WITH,) mvn -B test
	@$(MAKE) --no-print-directory $(CLUSTER_JAR)
	@[ -n "$(NATS_SERVER)" ] || echo "make test: $(NATS_MISSING): the cluster tests against a broker are skipped"
	cd cluster && $(call MVN_WITH,) mvn -B test

# jepoll against our C epoll servers and Netty, same loads, same run: bench/README.md
bench: $(JAR)
	JEPOLL_JAVA_OPTS="$(JAVA_OPTS)" NATIVE_JAVA="$(NATIVE_JAVA)" bench/run.sh

bench-idle: $(JAR)
	SECTIONS=idle JEPOLL_JAVA_OPTS="$(JAVA_OPTS)" NATIVE_JAVA="$(NATIVE_JAVA)" bench/run.sh

syscalls: $(JAR)
	JEPOLL_JAVA_OPTS="$(JAVA_OPTS)" bench/syscalls.sh

# Hours of hostile load in minutes: echo, then chat, DURATION seconds each (default 600); see bench/README.md.
soak: $(JAR)
	JEPOLL_JAVA_OPTS="$(JAVA_OPTS)" DURATION=$(DURATION) bench/soak.sh

# The matrix of every feature against every other, for DURATION seconds (default 120) of new random
# seeds; SEED=... replays one trial. Runs on the JDK of JAVA_HOME (or the default java): with 22+,
# the native backend is in the draw. What it checks: docs/testing.md, "Torture".
torture:
	$(call MVN_WITH,) $(MVN) -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=target/test.classpath -Dmdep.includeScope=test
	"$${JAVA_HOME:+$$JAVA_HOME/bin/}java" -XX:+UseSerialGC -Xmx512m $$("$${JAVA_HOME:+$$JAVA_HOME/bin/}java" -version 2>&1 | \
	  sed -n '1s/.*version "\([0-9]*\).*/\1/p' | awk '$$1 >= 22 {print "--enable-native-access=ALL-UNNAMED"}') \
	  -cp target/test-classes:target/classes:target/classes/META-INF/versions/22:$$(cat target/test.classpath) \
	  dev.jepoll.torture.Torture "$(or $(DURATION),120)" "$(SEED)"

# Chat through a NATS broker: 1 node vs 3 nodes, same-node vs cross-node latency (docs/benchmarks.md, "Cluster").
bench-cluster: $(JAR) $(CLUSTER_JAR)
	@[ -n "$(NATS_SERVER)" ] || { echo "make bench-cluster: $(NATS_MISSING)" >&2; exit 1; }
	NATS_SERVER="$(NATS_SERVER)" JEPOLL_JAVA_OPTS="$(JAVA_OPTS)" bench/cluster.sh

# PIT 1.30 on all of the reactor (the native backend included, so on a JDK 22+ when one is
# installed), chat, echo and the option parser; report in target/pit-reports/index.html
# (docs/mutation.md, which says how long it takes and explains every survivor).
mutation:
	$(if $(BUILD_JAVA_HOME),JAVA_HOME=$(BUILD_JAVA_HOME)) $(call MVN_WITH,$(BUILD_JAVA_HOME)) mvn -B -P mutation \
	  $(if $(PIT_CLASSES),-Dpit.targetClasses='$(PIT_CLASSES)') test-compile org.pitest:pitest-maven:mutationCoverage; \
	  status=$$?; ( cd target/classes/META-INF/versions/22 2>/dev/null && find . -name '*.class' ) | \
	  ( cd target/classes && xargs -r rm -f ); exit $$status

clean:
	$(MVN) clean
