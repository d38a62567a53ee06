# jepoll: the chapter's epoll servers, in Java.
#   make run-server PORT=9190 [APP=chat] [MODE=level|edge] [BUF=4] [SELECTOR=poll] [TRACE=1] ...
#   make run-client [HOST=127.0.0.1] [PORT=9190] [CLIENT=chat NAME=user1]
#   make test          (runs mvn test)
#   make demo-lt / make demo-et   (the chapter's trigger experiment: buffer 4, trace on)
#   make bench         (echo benchmark: jepoll vs C epoll vs Netty; see bench/README.md)

PORT      ?= 9190
HOST      ?= 127.0.0.1
APP       ?= echo
MODE      ?= edge
CLIENT    ?= echo
NAME      ?= user1
JAVA      ?= java
MVN       ?= mvn -B -q -Dstyle.color=never

JAR            := target/jepoll.jar
MAIN_SOURCES   := $(shell find src/main -name '*.java' 2>/dev/null) pom.xml
CLIENT_DIR     := target/clients
CLIENT_SOURCES := $(shell find test-clients/src/main -name '*.java' 2>/dev/null)
CLIENT_STAMP   := $(CLIENT_DIR)/.built

# Optional settings pass straight through to the server's options.
SERVER_OPTS = --port $(PORT) --app $(APP) --mode $(MODE) \
  $(if $(BUF),--buffer $(BUF)) \
  $(if $(SELECTOR),--selector $(SELECTOR)) \
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
  $(if $(GRACE),--grace $(GRACE)) \
  $(if $(filter 1 yes true,$(NODELAY_OFF)),--no-tcp-nodelay) \
  $(if $(filter 1 yes true,$(TRACE)),--trace) \
  $(ARGS)

.PHONY: run-server run-client demo-lt demo-et test build clients bench clean

build: $(JAR)

$(JAR): $(MAIN_SOURCES)
	@echo "building $(JAR) (the first time, Maven downloads its plugins first)"
	$(MVN) -DskipTests package

run-server: $(JAR)
	$(JAVA) -jar $(JAR) $(strip $(SERVER_OPTS))

# The chapter's experiment; the other run-server variables still apply.
demo-lt: $(JAR)
	$(JAVA) -jar $(JAR) $(strip $(SERVER_OPTS)) --mode level --buffer 4 $(if $(filter 1 yes true,$(TRACE)),,--trace)

demo-et: $(JAR)
	$(JAVA) -jar $(JAR) $(strip $(SERVER_OPTS)) --mode edge --buffer 4 $(if $(filter 1 yes true,$(TRACE)),,--trace)

# The clients need nothing but the JDK, so plain javac builds them in a second.
clients: $(CLIENT_STAMP)

$(CLIENT_STAMP): $(CLIENT_SOURCES)
	@mkdir -p $(CLIENT_DIR)
	javac --release 17 -d $(CLIENT_DIR) $(CLIENT_SOURCES)
	@touch $@

run-client: $(CLIENT_STAMP)
ifeq ($(CLIENT),chat)
	$(JAVA) -cp $(CLIENT_DIR) dev.jepoll.clients.ChatClient $(HOST) $(PORT) $(NAME)
else
	$(JAVA) -cp $(CLIENT_DIR) dev.jepoll.clients.EchoClient $(HOST) $(PORT)
endif

test:
	mvn -B test

# jepoll (edge, level, poll) against a C epoll server and Netty, same load, same run: bench/README.md
bench: $(JAR)
	bench/run.sh

clean:
	$(MVN) clean
