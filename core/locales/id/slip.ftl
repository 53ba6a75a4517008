# Penjelasan setiap baris slip TPP: perhitungan dalam kata-kata dengan angka sebenarnya.
# Argumen bertipe (jumlah rupiah, persentase, hitungan, tanggal) ditulis gaya Indonesia
# (`Rp 6.500.000`, `0,5%`, `5 Oktober 2026`).

slip-ceiling-table = Pagu TPP untuk kelas jabatan { $class } menurut tabel pagu: { $ceiling }
slip-ceiling-bpk = Pagu TPP untuk kelas jabatan { $class }: tabel BPK { $table } x IKFD { $ikfd } x IKK { $ikk } x IPPD { $ippd } = { $indexed }, dibulatkan ke atas ke kelipatan { $unit }: { $ceiling }
slip-class-ceiling-table = kelas jabatan { $class } menurut tabel pagu: { $ceiling }
slip-class-ceiling-bpk = kelas jabatan { $class }: tabel BPK { $table } x IKFD { $ikfd } x IKK { $ikk } x IPPD { $ippd } = { $indexed }, dibulatkan ke atas ke kelipatan { $unit }: { $ceiling }
slip-proration = Prorata menurut hari menjabat: { $ceiling } x { $assigned } hari penugasan / { $calendar } hari kerja kalender = { $prorated }; penyesuaian { $amount }
slip-proration-no-days = Prorata: bulan ini tidak mempunyai hari kerja, sehingga tidak ada bagian pagu { $ceiling } yang dibayar; penyesuaian { $amount }
slip-cpns = Calon pegawai negeri sipil (CPNS) dibayar { $paid_percent } dari { $base }: -({ $base } x { $withheld_percent }) = { $amount }
slip-performance = Bagian kinerja { $part } ({ $weight } dari { $base }) x { $counted } / { $target } menit (terverifikasi { $verified }, paling banyak sebesar target) = { $earned } diperoleh; kekurangan { $amount }
slip-performance-no-target = Bagian kinerja { $part } ({ $weight } dari { $base }): tidak ada target menit bulan ini, sehingga tidak ada yang diperoleh; kekurangan { $amount }
slip-deduction = { $what }: { $count } hari x { $rate } dari { $base_kind } { $base } = { $amount }
slip-deduction-ceremony = { $what }: { $count } kali x { $rate } dari { $base_kind } { $base } = { $amount }
slip-what-late = Terlambat TL{ $band }
slip-what-early = Pulang sebelum waktunya PSW{ $band }
slip-what-unexcused = Tanpa keterangan (TK)
slip-roll-call = Tidak ikut apel pagi/sore: { $count } kali x { $rate } dari { $base_kind } { $base } = { $amount }
slip-what-ceremony = Tidak ikut upacara
slip-what-absence = Ketidakhadiran `{ $code }` ({ $kind })
slip-floor = Batas bawah: potongan sebesar { $deducted } melebihi { $cap_kind } { $cap }; { $amount } dikembalikan agar tidak di bawah nol

# Kriteria TPP (allowance.components, allowance.parts) dan aturan disiplin berbasis hitungan
# (allowance.discipline_counts).
slip-component = Komponen { $component } ({ $criterion }): { $how } = { $amount }
slip-component-class = kelas jabatan { $class } menurut tabel komponen ({ $value })
slip-component-position = jabatan { $position } menurut tabel komponen
slip-component-no-position = masukan tidak menyebut jabatan, sehingga komponen per jabatan tidak dibayar
slip-part = Bagian { $part }: { $weight } dari { $base } = { $part_amount }; { $measure }; potongan: { $deductions }
slip-part-last = Bagian { $part } ({ $weight }): { $base } dikurangi bagian sebelumnya = { $part_amount }; { $measure }; potongan: { $deductions }
slip-base-part = bagian { $part }
slip-deduction-free = { $what }: ({ $recorded } - { $free } bebas) = { $count } hari x { $rate } dari { $base_kind } { $base } = { $amount }
slip-deduction-ceremony-free = { $what }: ({ $recorded } - { $free } bebas) = { $count } kali x { $rate } dari { $base_kind } { $base } = { $amount }
slip-roll-call-free = Tidak ikut apel pagi/sore: ({ $recorded } - { $free } bebas) = { $count } kali x { $rate } dari { $base_kind } { $base } = { $amount }
slip-converted = { $what }: { $recorded } kali, { $free } bebas; { $groups } x { $every } kali dihitung { $days } hari x { $rate } (potongan TK per hari) dari { $base_kind } { $base } = { $amount }; sisa { $left_over } kali tidak dipotong
slip-forfeit = { $what }: { $count } kali, mencapai batas { $limit }: bagian { $part } sebesar { $part_amount } hangus = { $amount }
slip-what-late-all = Terlambat
slip-what-early-all = Pulang sebelum waktunya
slip-what-roll-call-all = Tidak ikut apel pagi/sore
slip-what-ceremony-all = Tidak ikut upacara

slip-gate = Syarat kehadiran: hadir { $present } dari { $assigned } hari penugasan = { $attendance }, di bawah { $below } dibayar { $pay }: -({ $base } x { $withheld }) = { $amount }
slip-sanction = Hukuman disiplin `{ $level }` mulai { $from } selama { $months } bulan: -({ $base } x { $cut }) = { $amount }
slip-sanction-with-reference = Hukuman disiplin `{ $level }` mulai { $from } selama { $months } bulan, { $reference }: -({ $base } x { $cut }) = { $amount }
slip-acting = Pelaksana tugas (Plt) pada { $position } selama { $days } hari kerja (paling sedikit { $min_days }): pagu { $ceiling } x { $percent } = { $amount }
slip-tax = PPh 21 tarif tetap { $rate } untuk golongan { $group }: -({ $gross } x { $rate }) = { $amount }
slip-tax-pppk = PPh 21 tarif tetap { $rate } untuk PPPK golongan { $group }: -({ $gross } x { $rate }) = { $amount }
slip-bpjs = Iuran BPJS Kesehatan { $percent } dari tunjangan dalam batas { $cap }: (min(gaji { $salary } + bruto { $gross }, batas) - min(gaji, batas)) = { $base } x { $percent } = { $amount }

# Nilai kebijakan yang dikutip pada baris slip, dengan tanggal berlaku, lapisan, dan dasar hukumnya.
slip-parameter = { $key } = { $value } (sejak { $from }, { $layer }; { $reference })
slip-parameter-no-reference = { $key } = { $value } (sejak { $from }, { $layer })

# Judul dan jumlah pada slip cetak.
slip-gross = Bruto
slip-tax-total = PPh 21
slip-contribution-total = Iuran BPJS Kesehatan
slip-net = Neto
slip-heading = Slip TPP — { $employee } — { $month }
slip-hash-content = hash isi { $hash } (segel atas jumlah, masukan, dan kebijakan)
slip-hash-input-policy = hash masukan { $input }; hash kebijakan { $policy }
slip-line-inputs = masukan: { $inputs }
slip-totals = bruto { $gross }   PPh 21 { $tax }   BPJS { $contribution }   neto { $net }
