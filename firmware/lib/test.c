/* test.c - failure reporting for C (test.h) and assembly (asm.h) tests. */
#include "test.h"
#include "semihost.h"

int test_failures;
int test_checks;

void test_fail_expr(const char *file, int line, const char *expr)
{
    test_failures++;
    printf("FAIL %s:%d %s\n", file, line, expr);
}

void test_fail_eq(const char *file, int line, unsigned long long expected,
                  unsigned long long got)
{
    test_failures++;
    printf("FAIL %s:%d expected 0x%llx got 0x%llx\n", file, line, expected, got);
}

int test_finish(const char *name)
{
    if (test_failures) {
        printf("FAIL %s (%d failures)\n", name, test_failures);
        return 1;
    }
    printf("PASS %s\n", name);
    return 0;
}

/* Called from the EXPECT* macros of asm.h: never returns. */
void asm_fail(const char *name, int line, uint32_t expected, uint32_t got,
              uint32_t pc) __attribute__((noreturn));
void asm_fail(const char *name, int line, uint32_t expected, uint32_t got,
              uint32_t pc)
{
    printf("FAIL %s.S:%d (pc 0x%08x) expected 0x%x got 0x%x\n", name, line,
           (unsigned)pc, (unsigned)expected, (unsigned)got);
    printf("FAIL %s (1 failures)\n", name);
    sh_exit(1);
}

/* TEST_PASS of asm.h: never returns. */
void asm_pass(const char *name) __attribute__((noreturn));
void asm_pass(const char *name)
{
    printf("PASS %s\n", name);
    sh_exit(0);
}
