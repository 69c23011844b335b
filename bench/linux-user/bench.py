# A small Python benchmark: recursive calls, a sort, string building, dictionary updates.
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)

t = [(i * 7919) % 100003 for i in range(1, 200001)]
t.sort()
s = sum(v % 7 for v in t)
text = ",".join(str(i) for i in range(1, 50001))
d = {}
for i in range(200000):
    d[i % 1000] = d.get(i % 1000, 0) + i
print(fib(24), s, len(text), sum(d.values()))
