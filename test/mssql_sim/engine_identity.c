/*
 * engine_identity.c
 *		IDENTITY values that a rolled-back statement or transaction consumed.
 *
 * SQL Server does not give an IDENTITY value back when the insert that took
 * it fails or is rolled back: the next insert continues after it.  The
 * stand-in keeps each table's last value in main.__sim_identity, written in
 * the inserting transaction, so a rollback would bring the old value back.
 * This file remembers, for the life of the process and outside any
 * transaction, the last value handed out per table (keyed by database file
 * and object_id); the insert path takes the further of the two.
 *
 * What is remembered is lost when the process ends: after a restart, values
 * consumed only by rolled-back inserts (with no committed insert after them)
 * are handed out again.  Creating an object with the same object_id, DROP
 * TABLE and TRUNCATE TABLE forget a table's entry.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "engine_int.h"

typedef struct IdentEntry
{
	char	   *file;			/* the database's file name */
	int64_t		object_id;
	int64_t		last;			/* last value handed out */
} IdentEntry;

static pthread_mutex_t ident_lock = PTHREAD_MUTEX_INITIALIZER;
static IdentEntry *entries;
static int	nentries;
static int	maxentries;

/* The entry of (db, object_id), or NULL; caller holds ident_lock. */
static IdentEntry *
find_entry(const char *file, int64_t object_id)
{
	int			i;

	for (i = 0; i < nentries; i++)
		if (entries[i].object_id == object_id && strcmp(entries[i].file, file) == 0)
			return &entries[i];
	return NULL;
}

static const char *
db_file(sqlite3 *db)
{
	const char *f = sqlite3_db_filename(db, "main");

	return f ? f : "";
}

/*
 * Record that value was handed out for object_id's identity column (incr is
 * the column's increment, so "further" is greater for a positive one).
 */
void
engine_identity_consumed(sqlite3 *db, int64_t object_id, int64_t value, int64_t incr)
{
	const char *file = db_file(db);
	IdentEntry *e;

	pthread_mutex_lock(&ident_lock);
	e = find_entry(file, object_id);
	if (e == NULL)
	{
		if (nentries == maxentries)
		{
			maxentries = maxentries ? maxentries * 2 : 16;
			entries = realloc(entries, sizeof(IdentEntry) * (size_t) maxentries);
			if (entries == NULL)
				abort();
		}
		e = &entries[nentries++];
		e->file = estrdup(file);
		e->object_id = object_id;
		e->last = value;
	}
	else if (incr > 0 ? value > e->last : value < e->last)
		e->last = value;
	pthread_mutex_unlock(&ident_lock);
}

/*
 * Move *last (the table's stored last value, valid when *have) past any
 * value handed out and then rolled back.
 */
void
engine_identity_adjust(sqlite3 *db, int64_t object_id, int64_t incr, int64_t *last, bool *have)
{
	IdentEntry *e;

	pthread_mutex_lock(&ident_lock);
	e = find_entry(db_file(db), object_id);
	if (e && (!*have || (incr > 0 ? e->last > *last : e->last < *last)))
	{
		*last = e->last;
		*have = true;
	}
	pthread_mutex_unlock(&ident_lock);
}

/* Forget object_id's entry (a new object with that id, DROP, TRUNCATE). */
void
engine_identity_forget(sqlite3 *db, int64_t object_id)
{
	IdentEntry *e;

	pthread_mutex_lock(&ident_lock);
	e = find_entry(db_file(db), object_id);
	if (e)
	{
		free(e->file);
		*e = entries[--nentries];
	}
	pthread_mutex_unlock(&ident_lock);
}
