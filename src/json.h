/* JSON forms of jnet objects (jansson), shared by the CLI and the lab code. */
#ifndef JNET_JSON_H
#define JNET_JSON_H

#include <jansson.h>

#include "backend.h"

json_t *jnet_json_link(const struct jnet_link_info *l);
json_t *jnet_json_ifinfo(const struct jnet_ifinfo *i);
const char *jnet_where_name(enum jnet_where w);

#endif
