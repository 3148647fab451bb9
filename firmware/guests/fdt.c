/*
 * fdt.c - a small reader of a flattened device tree (DTSpec v0.3 chapter 5):
 * walks the structure block tag by tag (BEGIN_NODE, END_NODE, PROP, NOP,
 * END). Node paths are matched component by component; a component without
 * '@' also matches a node name with a unit address ("memory" matches
 * "memory@40000000"), as libfdt does. QEMU rewrites the DTB it is given
 * (/memory reg, and it replaces /psci with its own node, leaving FDT_NOPs),
 * so NOPs and any node order are handled.
 */
#include "guest.h"

#define FDT_MAGIC      0xd00dfeedu
#define FDT_BEGIN_NODE 1u
#define FDT_END_NODE   2u
#define FDT_PROP       3u
#define FDT_NOP        4u
#define FDT_END        9u

u32 fdt_be32(const void *p)
{
    const uint8_t *b = p;
    return ((u32)b[0] << 24) | ((u32)b[1] << 16) | ((u32)b[2] << 8) | b[3];
}

static u32 hdr(const void *fdt, int word)
{
    return fdt_be32((const uint8_t *)fdt + 4 * word);
}

int fdt_check(const void *fdt)
{
    if (fdt == 0 || ((uintptr_t)fdt & 3))
        return -1;
    if (hdr(fdt, 0) != FDT_MAGIC)
        return -2;
    if (hdr(fdt, 5) < 16 || hdr(fdt, 6) > 17)   /* version, last_comp_version */
        return -3;
    return 0;
}

static int streq(const char *a, const char *b)
{
    while (*a && *a == *b) {
        a++;
        b++;
    }
    return *a == *b;
}

/* does the node name match path component comp[0..len)? */
static int name_matches(const char *name, const char *comp, int len)
{
    int i;
    int has_at = 0;

    for (i = 0; i < len; i++) {
        if (comp[i] == '@')
            has_at = 1;
        if (name[i] != comp[i])
            return 0;
    }
    return name[len] == 0 || (!has_at && name[len] == '@');
}

static u32 align4(u32 x) { return (x + 3) & ~3u; }

/*
 * Walk the structure block. For every node at path's depth + 1 under path,
 * or for path's own properties, call the matching callback.
 *   want_prop != NULL: return the property's value of the node at path
 *   base != NULL: count children of path whose name before '@' is base
 */
static const void *walk(const void *fdt, const char *path, const char *want_prop,
                        u32 *len_out, const char *base, int *count)
{
    const uint8_t *s = (const uint8_t *)fdt + hdr(fdt, 2);   /* off_dt_struct */
    const char *strings = (const char *)fdt + hdr(fdt, 3);   /* off_dt_strings */
    u32 size = hdr(fdt, 9);                             /* size_dt_struct */
    u32 off = 0;
    int depth = 0;            /* current node depth (root = 1) */
    int matched = 0;          /* depth up to which the path matched */
    const char *comp = path;  /* the next path component to match */
    int target = 1;           /* depth of the node named by path */
    const char *p;

    for (p = path; *p; p++)
        if (*p == '/' && p[1])
            target++;
    if (*comp == '/')
        comp++;

    while (off + 4 <= size) {
        u32 tag = fdt_be32(s + off);
        off += 4;
        if (tag == FDT_BEGIN_NODE) {
            const char *name = (const char *)s + off;
            u32 n = 0;
            while (name[n])
                n++;
            off += align4(n + 1);
            depth++;
            if (depth == 1) {
                matched = 1;        /* the root node */
            } else if (matched == depth - 1 && depth <= target) {
                int clen = 0;
                while (comp[clen] && comp[clen] != '/')
                    clen++;
                if (name_matches(name, comp, clen)) {
                    matched = depth;
                    comp += clen;
                    if (*comp == '/')
                        comp++;
                }
            } else if (base && matched == target && depth == target + 1) {
                int blen = 0;
                while (base[blen])
                    blen++;
                if (name_matches(name, base, blen))
                    (*count)++;
            }
        } else if (tag == FDT_END_NODE) {
            /* the target node closed (property absent, children counted), or a
             * matched ancestor closed without the rest of the path in it */
            if (matched == depth)
                return 0;
            depth--;
        } else if (tag == FDT_PROP) {
            u32 len = fdt_be32(s + off);
            u32 nameoff = fdt_be32(s + off + 4);
            const uint8_t *val = s + off + 8;
            off += 8 + align4(len);
            if (want_prop && matched == target && depth == target &&
                streq(strings + nameoff, want_prop)) {
                if (len_out)
                    *len_out = len;
                return val;
            }
        } else if (tag == FDT_NOP) {
            continue;
        } else {
            break;                  /* FDT_END or garbage */
        }
    }
    return 0;
}

const void *fdt_getprop(const void *fdt, const char *path, const char *prop, u32 *len)
{
    if (fdt_check(fdt))
        return 0;
    return walk(fdt, path, prop, len, 0, 0);
}

int fdt_count_children(const void *fdt, const char *path, const char *base)
{
    int count = 0;

    if (fdt_check(fdt))
        return -1;
    walk(fdt, path, 0, 0, base, &count);
    return count;
}
