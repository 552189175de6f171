/*
 * engine_catalog.h
 *		Catalog writers shared by engine_catalog.c and engine_ddl.c.
 */
#ifndef ENGINE_CATALOG_H
#define ENGINE_CATALOG_H

#include "engine_int.h"

extern int	engine_catalog_insert_column(SimSession *s, int64_t object_id,
										 const EngineColumn *c, int64_t default_object_id);

#endif							/* ENGINE_CATALOG_H */
