#ifndef HYPSIM_TEST_H
#define HYPSIM_TEST_H
/*
 * Self-checking test helpers for the C programs.
 *
 *   CHECK(expr)               fails when expr is false
 *   CHECK_EQ(got, expected)   fails when got != expected; both sides are
 *                             converted to unsigned long long first (signed
 *                             values sign-extend), so compare like types
 *   CHECK_NE(got, other)
 *
 * A failure prints "FAIL <file>:<line> expected X got Y" (or the expression
 * for CHECK) and is counted.  A program ends with
 *     return test_finish("name");
 * which prints "PASS name" or "FAIL name (<n> failures)" and returns the
 * exit status for crt0 (0 = success).
 */
#include <stdint.h>
#include "printf.h"

extern int test_failures;
extern int test_checks;

void test_fail_expr(const char *file, int line, const char *expr);
void test_fail_eq(const char *file, int line, unsigned long long expected,
                  unsigned long long got);
int test_finish(const char *name);

#define CHECK(expr)                                                     \
    do {                                                                \
        test_checks++;                                                  \
        if (!(expr))                                                    \
            test_fail_expr(__FILE__, __LINE__, #expr);                  \
    } while (0)

#define CHECK_EQ(got, expected)                                         \
    do {                                                                \
        unsigned long long got_ = (unsigned long long)(got);           \
        unsigned long long exp_ = (unsigned long long)(expected);      \
        test_checks++;                                                  \
        if (got_ != exp_)                                               \
            test_fail_eq(__FILE__, __LINE__, exp_, got_);               \
    } while (0)

#define CHECK_NE(got, other)                                            \
    do {                                                                \
        test_checks++;                                                  \
        if ((unsigned long long)(got) == (unsigned long long)(other))   \
            test_fail_expr(__FILE__, __LINE__, #got " != " #other);     \
    } while (0)

/* Keep the compiler from constant-folding a value (forces run-time code). */
#define OPAQUE(x) ({ __typeof__(x) v_ = (x); __asm__("" : "+r"(v_)); v_; })

#endif
