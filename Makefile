# Newsroom: one command runs the demo site, one command runs every test.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/newsroom
STAMP := $(VENV)/.installed
# Debian packages the browser tests use (tests/browser): Chromium, driven by
# Playwright (which never downloads a browser here), and Java for the HTML checker.
# nginx: the load balancer in front of two nodes (scripts/cluster.sh, deploy/);
# the light build has the proxy and static modules it uses, nothing more.
# WeasyPrint renders the release PDF with Pango (its fonts from fonts-dejavu-core);
# poppler-utils gives pdftotext to the PDF tests.
# postgresql-15-rum: the RUM index that ranks broad searches (migration 0025; a
# server without it migrates and searches all the same, ranking the old way).
SYSTEM_PACKAGES := chromium chromium-driver default-jre-headless fonts-dejavu-core wrk \
  nginx-light libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 poppler-utils \
  postgresql-15-rum

# A machine may tell Python not to write bytecode (PYTHONDONTWRITEBYTECODE in the
# environment). Then every pytest run, and every interpreter a test starts, compiles
# the project again and pytest rewrites every test module's asserts again: about
# 10 s more per run. The bytecode goes to __pycache__/, which git ignores.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: install system-deps run demo test test-sqlite test-postgres \
  test-postgres-browser test-postgres-other lint check bench-smoke test-cluster lighthouse clean

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

# Installs the missing SYSTEM_PACKAGES with apt-get (as root, or through sudo);
# does nothing, quickly, when all are there.
system-deps:
	@missing=""; for package in $(SYSTEM_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$package 2>/dev/null | grep -q "ok installed" \
	    || missing="$$missing $$package"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  sudo=""; [ "$$(id -u)" -eq 0 ] || sudo=sudo; \
	  $$sudo apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq $$missing; \
	fi

demo: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py ensure_demo_admin

# The task worker runs beside the server: search index updates, image renditions
# and alert emails are background tasks. So does scheduled publishing (cron's job in
# production): scheduled releases go live, and expired ones leave, on time. Both
# stop with the server.
run: demo
	$(BIN)/python manage.py db_worker & worker=$$!; \
	$(BIN)/python manage.py run_scheduler & scheduler=$$!; \
	trap 'kill $$worker $$scheduler' EXIT INT TERM; \
	$(BIN)/python manage.py runserver 127.0.0.1:8000

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

check: install
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run

# The browser tests drive the page, its scripts and styles, which no database changes;
# they run on PostgreSQL, the production database (test-postgres-browser). Every other
# test runs on both.
test-sqlite: install system-deps
	env -u DATABASE_URL $(BIN)/pytest -m "not browser"

test-postgres: install system-deps
	DATABASE_URL=$(PG_URL) $(BIN)/pytest

# The PostgreSQL suite in two runs, so that `make test` can balance its two cores.
test-postgres-browser: install system-deps
	DATABASE_URL=$(PG_URL) $(BIN)/pytest -m browser

test-postgres-other: install system-deps
	DATABASE_URL=$(PG_URL) $(BIN)/pytest -m "not browser"

# The runs share nothing (each has its own test database, media folders and live
# server), so they go side by side, one per core: the PostgreSQL suite without
# the browser tests and the SQLite suite start together, and PostgreSQL's browser
# tests take the core that frees first. -O prints each run's output whole when it
# ends.
test: lint check
	$(MAKE) --no-print-directory -j2 -O \
	  test-postgres-other test-sqlite test-postgres-browser

# The benchmark and the load run at a small size on a scratch PostgreSQL database;
# the fault run takes that database away under load (no other database is touched).
BENCH_DB ?= newsroom_bench_smoke
bench-smoke: install system-deps
	dropdb -h 127.0.0.1 -U postgres --if-exists $(BENCH_DB)
	createdb -h 127.0.0.1 -U postgres $(BENCH_DB)
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/$(BENCH_DB) $(BIN)/python manage.py migrate -v0
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/$(BENCH_DB) $(BIN)/python bench/load_publish.py --seconds 8
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/$(BENCH_DB) $(BIN)/python bench/fault_postgres.py --seconds 12 --outage 7
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/$(BENCH_DB) $(BIN)/python bench/run.py --releases 2000 --runs 3 --load-seconds 3 --import-records 200
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/$(BENCH_DB) $(BIN)/python bench/alerts.py --subscriptions 5000 --runs 2 --sample 2
	dropdb -h 127.0.0.1 -U postgres --if-exists $(BENCH_DB)

# A streaming replica (scripts/replica.sh, 127.0.0.1:5433) and two nodes behind
# nginx (scripts/cluster.sh, 127.0.0.1:8800-8802) on a database of their own:
# the lag, failover and node-loss tests (tests/cluster, -s prints their figures),
# then the two-node load run. The replica and its slot are removed afterwards,
# pass or fail. Needs root or the postgres user (the cluster's files).
CLUSTER_DB ?= newsroom_cluster_test
test-cluster: install system-deps
	scripts/replica.sh start
	status=0; \
	{ dropdb -h 127.0.0.1 -U postgres --if-exists $(CLUSTER_DB) && \
	  createdb -h 127.0.0.1 -U postgres $(CLUSTER_DB) && \
	  DATABASE_URL=postgres://postgres@127.0.0.1:5432/$(CLUSTER_DB) \
	    $(BIN)/python bench/cluster_ops.py prepare && \
	  NEWSROOM_CLUSTER_TESTS=1 CLUSTER_DATABASE=$(CLUSTER_DB) \
	    $(BIN)/pytest tests/cluster -s && \
	  DATABASE_URL=postgres://postgres@127.0.0.1:5432/$(CLUSTER_DB) \
	  DATABASE_REPLICA_URL=postgres://postgres@127.0.0.1:5433/$(CLUSTER_DB) \
	    $(BIN)/python bench/cluster_load.py --seconds 8; } || status=$$?; \
	scripts/cluster.sh stop >/dev/null 2>&1; \
	scripts/replica.sh remove; \
	dropdb -h 127.0.0.1 -U postgres --if-exists $(CLUSTER_DB); \
	exit $$status

# Lighthouse (package-lock.json, `npm ci`) on Debian's Chromium over the reader's
# pages, under gunicorn with the production settings, on a fresh demo database:
# performance >= 95, accessibility, best practices and SEO 100, or it fails.
# Reports in build/lighthouse/. About 4 minutes on two idle cores.
LIGHTHOUSE_DB ?= newsroom_lighthouse
lighthouse: install system-deps
	npm ci --no-audit --no-fund --ignore-scripts
	dropdb -h 127.0.0.1 -U postgres --if-exists $(LIGHTHOUSE_DB)
	createdb -h 127.0.0.1 -U postgres $(LIGHTHOUSE_DB)
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/$(LIGHTHOUSE_DB) $(BIN)/python manage.py migrate -v0
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/$(LIGHTHOUSE_DB) $(BIN)/python manage.py load_demo
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/$(LIGHTHOUSE_DB) CHROME_PATH=/usr/bin/chromium $(BIN)/python bench/lighthouse.py
	dropdb -h 127.0.0.1 -U postgres --if-exists $(LIGHTHOUSE_DB)

# Also drops the PostgreSQL tests' migrated template (tests/template_database.py),
# if the server answers.
clean:
	rm -rf $(VENV) node_modules build db.sqlite3 db.sqlite3-wal db.sqlite3-shm media static_collected
	-psql -h 127.0.0.1 -U postgres -Atc \
	  "SELECT datname FROM pg_database WHERE datname LIKE 'test\_newsroom\_template\_%'" \
	  | xargs -r -n1 dropdb -h 127.0.0.1 -U postgres --if-exists
