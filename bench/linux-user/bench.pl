my %h;
for my $i (1..300000) { $h{"k" . ($i * 7919 % 100003)} += $i; }
my @k = sort { $h{$a} <=> $h{$b} || $a cmp $b } keys %h;
my $s = 0; $s += length($_) for @k;
print scalar(@k), " $s $k[0] $k[-1]\n";
