local function fib(n) if n < 2 then return n end return fib(n-1) + fib(n-2) end
local t = {}
for i = 1, 200000 do t[i] = (i * 7919) % 100003 end
table.sort(t)
local s = 0
for i = 1, #t do s = s + t[i] % 7 end
local parts = {}
for i = 1, 50000 do parts[#parts + 1] = tostring(i) end
local str = table.concat(parts, ",")
print(fib(27), s, #str)
