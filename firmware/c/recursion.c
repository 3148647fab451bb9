/*
 * recursion.c - call-heavy code: naive Fibonacci (against the iterative
 * sequence), Ackermann for small arguments (against the closed forms
 * A(1,n) = n+2, A(2,n) = 2n+3, A(3,n) = 2^(n+3)-3), Towers of Hanoi with
 * every move checked for legality (2^n - 1 moves), mutual recursion
 * (even/odd) and recursive gcd (against a known value and the divisibility
 * property).
 */
#include <stdint.h>
#include "test.h"

static volatile int v_ten = 10;
static int calls;

static uint32_t fib(int n)
{
    calls++;
    return n < 2 ? (uint32_t)n : fib(n - 1) + fib(n - 2);
}

static uint32_t ack(uint32_t m, uint32_t n)
{
    if (m == 0)
        return n + 1;
    if (n == 0)
        return ack(m - 1, 1);
    return ack(m - 1, ack(m, n - 1));
}

/* three pegs as stacks of disc sizes */
static int peg[3][8];
static int height[3];
static int moves, illegal;

static void move_disc(int from, int to)
{
    int d = peg[from][--height[from]];
    if (height[to] && peg[to][height[to] - 1] < d)
        illegal++;                              /* larger on smaller */
    peg[to][height[to]++] = d;
    moves++;
}

static void hanoi(int n, int from, int to, int via)
{
    if (n == 0)
        return;
    hanoi(n - 1, from, via, to);
    move_disc(from, to);
    hanoi(n - 1, via, to, from);
}

static int is_odd(unsigned n);
static int is_even(unsigned n) { return n == 0 ? 1 : is_odd(n - 1); }
static int is_odd(unsigned n) { return n == 0 ? 0 : is_even(n - 1); }

static uint32_t gcd(uint32_t a, uint32_t b) { return b == 0 ? a : gcd(b, a % b); }

int main(void)
{
    int ten = v_ten;

    /* Fibonacci: recursive vs iterative; calls(n) = 2*F(n+1) - 1 */
    uint32_t f0 = 0, f1 = 1;
    for (int i = 0; i < ten; i++) {
        uint32_t t = f0 + f1;
        f0 = f1;
        f1 = t;
    }
    calls = 0;
    CHECK_EQ(fib(ten), f0);
    CHECK_EQ(f0, 55u);
    CHECK_EQ((uint32_t)calls, 2 * f1 - 1);

    /* Ackermann */
    for (uint32_t n = 0; n < 4; n++) {
        CHECK_EQ(ack(0, n), n + 1);
        CHECK_EQ(ack(1, n), n + 2);
        CHECK_EQ(ack(2, n), 2 * n + 3);
    }
    CHECK_EQ(ack(3, 1), (1u << 4) - 3);

    /* Hanoi with 6 discs */
    int n = ten - 4;
    for (int i = 0; i < n; i++)
        peg[0][i] = n - i;                      /* largest at the bottom */
    height[0] = n;
    hanoi(n, 0, 2, 1);
    CHECK_EQ(moves, (1 << n) - 1);
    CHECK_EQ(illegal, 0);
    CHECK_EQ(height[2], n);
    CHECK_EQ(height[0] + height[1], 0);
    for (int i = 0; i < n; i++)
        CHECK_EQ(peg[2][i], n - i);

    /* mutual recursion */
    CHECK(is_even((unsigned)ten * 3));
    CHECK(is_odd((unsigned)ten * 3 + 1));
    CHECK(!is_odd(0));

    /* gcd */
    uint32_t g = gcd(1071u * (uint32_t)ten / 10, 462);
    CHECK_EQ(g, 21u);                           /* Euclid's classic example */
    CHECK_EQ(1071u % g + 462u % g, 0u);
    CHECK_EQ(gcd(1071 / g, 462 / g), 1u);        /* quotients are coprime */
    CHECK_EQ(gcd(832040, 514229), 1u);           /* consecutive Fibonacci */

    printf("fib(%d) = %u in %d calls, hanoi(%d) = %d moves\n", ten,
           (unsigned)f0, calls, n, moves);
    return test_finish("recursion");
}
