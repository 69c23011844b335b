BEGIN {
  for (i = 1; i <= 200000; i++) { k = "key" (i * 7919 % 50021); a[k] = a[k] " " i % 97; }
  n = 0; total = 0;
  for (k in a) { n++; total += length(a[k]); gsub(/ 1/, "#", a[k]); }
  s = ""; for (i = 0; i < 20000; i++) s = s sprintf("%x", i);
  print n, total, length(s), substr(s, 1000, 12), toupper(substr(s, 5, 6));
}
