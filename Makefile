# Portolan: the two commands a fresh machine needs are `make run` and `make test`.
MVN ?= mvn -B
TEST_IMAGE ?= portolan/busybox:test

.PHONY: run test build test-image clean

## Build everything and start one Portolan node on the embedded Cassandra (UI on http://localhost:4040).
run: build
	@./scripts/run-node.sh

## Run every test: unit tests, then integration tests on a real Cassandra and the real Docker engine.
test: test-image
	$(MVN) verify

build:
	$(MVN) -q -DskipTests install

## The local test image: busybox-static in an otherwise empty rootfs (no registry is reachable).
test-image:
	@./scripts/build-test-image.sh $(TEST_IMAGE)

clean:
	$(MVN) -q clean
