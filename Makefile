# mssql_cdc: PGXS build
EXTENSION = mssql_cdc
MODULE_big = mssql_cdc
OBJS = $(patsubst %.c,%.o,$(wildcard src/*.c))
DATA = $(wildcard mssql_cdc--*.sql)

PG_CPPFLAGS = -I$(srcdir)/src
SHLIB_LINK = -lsybdb

REGRESS = $(patsubst sql/%.sql,%,$(sort $(wildcard sql/*.sql)))
REGRESS_OPTS = --temp-instance=tmp_check --temp-config=test/regress.conf --load-extension=mssql_cdc

# Debian's PGXS wants clang for LLVM bitcode; we do not ship bitcode.
override with_llvm := no

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)
