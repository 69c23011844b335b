create table t(k integer primary key, v text, n integer);
with recursive c(x) as (select 1 union all select x + 1 from c where x < 200000)
insert into t select x, printf('v%06d', (x * 7919) % 100003), x % 1000 from c;
create index iv on t(v);
select count(*), sum(n), min(v), max(v) from t;
select n, count(*) from t group by n order by 2 desc, 1 limit 3;
select count(*) from t a join t b on a.k = b.k + 1 where a.n < 10;
