# A stand-in for the official image postgres:15-bookworm, used by docker/check-compose only when
# that image can be neither found nor pulled (a machine with a Docker engine but no registry).
# Debian 12's PostgreSQL 15, with the part of the official entrypoint compose.yaml relies on:
# POSTGRES_USER / POSTGRES_PASSWORD / POSTGRES_DB create the role and database on first start,
# in PGDATA=/var/lib/postgresql/data; password authentication from other containers.
FROM debian:bookworm
RUN apt-get update -qq \
 && apt-get install -y -qq --no-install-recommends postgresql-15 \
 && rm -rf /var/lib/apt/lists/*
ENV PATH=/usr/lib/postgresql/15/bin:$PATH PGDATA=/var/lib/postgresql/data
COPY docker/standins/postgres-entrypoint /usr/local/bin/postgres-entrypoint
EXPOSE 5432
VOLUME /var/lib/postgresql/data
ENTRYPOINT ["/usr/local/bin/postgres-entrypoint"]
