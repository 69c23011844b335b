/*
 * A switch-dispatched stack-machine interpreter (the shape of many scripting-language VMs): a
 * small assembler builds bytecode for a prime sieve by trial division, an iterative Fibonacci and
 * a recursive function with calls and returns; the VM runs them with locals, a data stack and a
 * call stack.
 */
#include "rt.h"

enum op {
    OP_HALT, OP_PUSH, OP_LOAD, OP_STORE, OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_MOD, OP_LT, OP_LE,
    OP_EQ, OP_JMP, OP_JZ, OP_JNZ, OP_DUP, OP_DROP, OP_SWAP, OP_INC, OP_CALL, OP_RET, OP_ARG,
    OP_XOR, OP_SHL, OP_AND,
};

typedef struct {
    int32_t code[512];
    int len;
} program;

static int emit(program *p, int32_t v) {
    p->code[p->len] = v;
    return p->len++;
}
static void emit2(program *p, int op, int32_t a) {
    emit(p, op);
    emit(p, a);
}
static void patch(program *p, int at, int target) {
    p->code[at + 1] = target;
}

typedef struct {
    int32_t ret;
    int32_t base; /* the frame's first local */
} frame;

/* Runs from pc 0; locals are per frame (16 each); ARG k pushes local k of the current frame. */
static int32_t run(const int32_t *code, uint32_t *steps_out) {
    int32_t stack[256], locals[16 * 256];
    frame calls[256];
    int sp = 0, fp = 0, base = 0, pc = 0;
    uint32_t steps = 0;
    for (;;) {
        steps++;
        int32_t op = code[pc++];
        switch (op) {
        case OP_HALT: *steps_out = steps; return sp ? stack[sp - 1] : 0;
        case OP_PUSH: stack[sp++] = code[pc++]; break;
        case OP_LOAD: stack[sp++] = locals[base + code[pc++]]; break;
        case OP_STORE: locals[base + code[pc++]] = stack[--sp]; break;
        case OP_ADD: sp--; stack[sp - 1] += stack[sp]; break;
        case OP_SUB: sp--; stack[sp - 1] -= stack[sp]; break;
        case OP_MUL: sp--; stack[sp - 1] *= stack[sp]; break;
        case OP_DIV: sp--; stack[sp - 1] /= stack[sp]; break;
        case OP_MOD: sp--; stack[sp - 1] %= stack[sp]; break;
        case OP_LT: sp--; stack[sp - 1] = stack[sp - 1] < stack[sp]; break;
        case OP_LE: sp--; stack[sp - 1] = stack[sp - 1] <= stack[sp]; break;
        case OP_EQ: sp--; stack[sp - 1] = stack[sp - 1] == stack[sp]; break;
        case OP_JMP: pc = code[pc]; break;
        case OP_JZ: pc = stack[--sp] ? pc + 1 : code[pc]; break;
        case OP_JNZ: pc = stack[--sp] ? code[pc] : pc + 1; break;
        case OP_DUP: stack[sp] = stack[sp - 1]; sp++; break;
        case OP_DROP: sp--; break;
        case OP_SWAP: { int32_t t = stack[sp - 1]; stack[sp - 1] = stack[sp - 2]; stack[sp - 2] = t; break; }
        case OP_INC: locals[base + code[pc++]]++; break;
        case OP_CALL: /* CALL target: the argument is on the stack, it becomes local 0 of the callee */
            calls[fp].ret = pc + 1;
            calls[fp].base = base;
            fp++;
            base += 16;
            locals[base] = stack[--sp];
            pc = code[pc];
            break;
        case OP_RET:
            fp--;
            base = calls[fp].base;
            pc = calls[fp].ret;
            break;
        case OP_ARG: stack[sp++] = locals[base + code[pc++]]; break;
        case OP_XOR: sp--; stack[sp - 1] ^= stack[sp]; break;
        case OP_SHL: sp--; stack[sp - 1] <<= stack[sp] & 31; break;
        case OP_AND: sp--; stack[sp - 1] &= stack[sp]; break;
        default: rt_fail("bad opcode");
        }
    }
}

/* Counts primes below limit by trial division: locals 1 = i, 2 = d, 3 = count, 4 = prime. */
static void build_primes(program *p, int limit) {
    emit2(p, OP_PUSH, 0); emit2(p, OP_STORE, 3);
    emit2(p, OP_PUSH, 2); emit2(p, OP_STORE, 1);
    int outer = p->len;
    emit2(p, OP_LOAD, 1); emit2(p, OP_PUSH, limit); emit(p, OP_LT);
    int exit_outer = p->len; emit2(p, OP_JZ, 0);
    emit2(p, OP_PUSH, 1); emit2(p, OP_STORE, 4);
    emit2(p, OP_PUSH, 2); emit2(p, OP_STORE, 2);
    int inner = p->len;
    emit2(p, OP_LOAD, 2); emit(p, OP_DUP); emit(p, OP_MUL); emit2(p, OP_LOAD, 1); emit(p, OP_LE);
    int exit_inner = p->len; emit2(p, OP_JZ, 0);
    emit2(p, OP_LOAD, 1); emit2(p, OP_LOAD, 2); emit(p, OP_MOD);
    int not_divisor = p->len; emit2(p, OP_JNZ, 0);
    emit2(p, OP_PUSH, 0); emit2(p, OP_STORE, 4);
    int composite = p->len; emit2(p, OP_JMP, 0);
    patch(p, not_divisor, p->len);
    emit2(p, OP_INC, 2);
    emit2(p, OP_JMP, inner);
    patch(p, exit_inner, p->len);
    patch(p, composite, p->len);
    emit2(p, OP_LOAD, 3); emit2(p, OP_LOAD, 4); emit(p, OP_ADD); emit2(p, OP_STORE, 3);
    emit2(p, OP_INC, 1);
    emit2(p, OP_JMP, outer);
    patch(p, exit_outer, p->len);
    emit2(p, OP_LOAD, 3);
    emit(p, OP_HALT);
}

/* Iterated Fibonacci modulo 2^32 with a hash of every term: locals 1 = a, 2 = b, 3 = k, 5 = h. */
static void build_fib(program *p, int count) {
    emit2(p, OP_PUSH, 0); emit2(p, OP_STORE, 1);
    emit2(p, OP_PUSH, 1); emit2(p, OP_STORE, 2);
    emit2(p, OP_PUSH, 0); emit2(p, OP_STORE, 3);
    emit2(p, OP_PUSH, 0); emit2(p, OP_STORE, 5);
    int loop = p->len;
    emit2(p, OP_LOAD, 3); emit2(p, OP_PUSH, count); emit(p, OP_LT);
    int done = p->len; emit2(p, OP_JZ, 0);
    emit2(p, OP_LOAD, 1); emit2(p, OP_LOAD, 2); emit(p, OP_ADD);
    emit2(p, OP_LOAD, 2); emit2(p, OP_STORE, 1); emit2(p, OP_STORE, 2);
    emit2(p, OP_LOAD, 5); emit2(p, OP_PUSH, 5); emit(p, OP_SHL); emit2(p, OP_LOAD, 5); emit(p, OP_ADD);
    emit2(p, OP_LOAD, 2); emit(p, OP_XOR); emit2(p, OP_STORE, 5);
    emit2(p, OP_INC, 3);
    emit2(p, OP_JMP, loop);
    patch(p, done, p->len);
    emit2(p, OP_LOAD, 5);
    emit(p, OP_HALT);
}

/* Recursive Fibonacci through CALL/RET: fib(x) = x < 2 ? x : fib(x-1) + fib(x-2). */
static void build_recursive(program *p, int x) {
    emit2(p, OP_PUSH, x);
    int call = p->len; emit2(p, OP_CALL, 0);
    emit(p, OP_HALT);
    int fib = p->len;
    patch(p, call, fib);
    emit2(p, OP_ARG, 0); emit2(p, OP_PUSH, 2); emit(p, OP_LT);
    int big = p->len; emit2(p, OP_JZ, 0);
    emit2(p, OP_ARG, 0); emit(p, OP_RET);
    patch(p, big, p->len);
    emit2(p, OP_ARG, 0); emit2(p, OP_PUSH, 1); emit(p, OP_SUB); emit2(p, OP_CALL, fib);
    emit2(p, OP_ARG, 0); emit2(p, OP_PUSH, 2); emit(p, OP_SUB); emit2(p, OP_CALL, fib);
    emit(p, OP_ADD);
    emit(p, OP_RET);
}

int bench_main(void) {
    int n = rt_arg("n", 60);
    static program p;
    uint32_t steps, total = 0;

    p.len = 0;
    build_primes(&p, n * 1000);
    int32_t primes = run(p.code, &steps);
    total += steps;
    rt_printf("primes below %d: %d (%u steps)\n", n * 1000, primes, steps);

    p.len = 0;
    build_fib(&p, n * 16000);
    int32_t h = run(p.code, &steps);
    total += steps;
    rt_printf("fib hash over %d terms: %08x (%u steps)\n", n * 16000, (uint32_t)h, steps);

    p.len = 0;
    int x = 12 + n / 6;
    if (x > 27) x = 27;
    build_recursive(&p, x);
    int32_t f = run(p.code, &steps);
    total += steps;
    rt_printf("fib(%d) by recursion: %d (%u steps)\n", x, f, steps);
    rt_printf("total steps %u\n", total);
    return 0;
}
