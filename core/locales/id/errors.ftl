# Penolakan dan galat mesin, dalam bahasa Indonesia.
# Setiap pesan `error-<kode>` menerima argumen dari galat bertipe (lihat core/src/i18n/errors.rs)
# dan selalu `detail`, kalimat bahasa Inggris mesin itu sendiri.

## Kegiatan harian (activity)

error-non-positive-quantity = Jumlah { $quantity } pada kolom `{ $field }` harus lebih dari nol.
error-end-not-after-start = Jam selesai { $end } harus setelah jam mulai { $start }.
error-future-date = Tanggal { $date } belum tiba (hari ini { $today }); kegiatan hanya dapat dicatat untuk hari yang sudah berjalan.
error-month-closed = Bulan { $month } sudah ditutup; tidak ada perubahan yang diterima.
error-outside-entry-window = Tanggal { $date } di luar batas waktu pengisian ({ $window } hari kerja).
error-non-working-day = Tanggal { $date } bukan hari kerja.
error-before-working-hours = Jam mulai { $start } sebelum jam kerja (paling awal { $earliest }).
error-after-working-hours = Jam selesai { $end } setelah jam kerja (paling lambat { $latest }).
error-overlapping-entry = Kegiatan { $start }–{ $end } bertumpang tindih dengan kegiatan { $other } ({ $other_start }–{ $other_end }).
error-task-not-assigned = Tugas { $task } bukan tugas jabatan Anda pada { $date }.
error-arithmetic-overflow = Jumlah { $quantity } x { $standard_minutes } menit terlalu besar untuk dihitung.

## Verifikasi oleh atasan

error-invalid-transition = Kegiatan { $entry } berstatus { $status } dan tidak dapat di-{ $action }.
error-empty-reason = Tindakan { $action } atas kegiatan { $entry } memerlukan alasan.
error-quantity-out-of-range = Jumlah yang disetujui { $quantity } untuk kegiatan { $entry } harus antara 1 dan jumlah yang diajukan ({ $claimed }).
error-deadline-passed = Batas waktu verifikasi kegiatan { $entry } ({ $deadline }) sudah lewat ({ $at }).
error-not-owner = Kegiatan { $entry } bukan milik { $by }.
error-self-verification = Pegawai tidak dapat memverifikasi kegiatannya sendiri ({ $entry }).
error-decided-before-submission = Keputusan atas kegiatan { $entry } ({ $at }) mendahului pengajuannya ({ $submitted_at }).

## Kehadiran dan ketidakhadiran

error-absence-inverted-range = Pegawai { $employee }: tanggal akhir { $end } mendahului tanggal mulai { $start }.
error-absence-no-working-day = Pegawai { $employee }: tidak ada hari kerja antara { $start } dan { $end }.
error-absence-evidence-required = Pegawai { $employee }: { $kind } memerlukan bukti (surat atau dokumen).
error-absence-overlap = Pegawai { $employee }: { $start } s.d. { $end } bertumpang tindih dengan { $existing_kind } ({ $existing_start } s.d. { $existing_end }).
error-permit-cap-exceeded = Pegawai { $employee }: izin pada { $month } menjadi { $would_be } hari, melebihi batas { $cap } hari.

## Buku besar (ledger) dan jurnal

error-not-authorised = Anda tidak berwenang melakukan tindakan ini.
error-arithmetic = Perhitungan gagal (luapan atau pembagian dengan nol): { $detail }
error-unknown-employee = Pegawai { $employee } tidak ditemukan.
error-unknown-entry = Kegiatan { $entry } tidak ditemukan.
error-wrong-month = { $record }, kolom `{ $field }`: tanggal { $date } tidak termasuk bulan { $month }.
error-not-closed = Bulan { $month } belum ditutup.
error-missing-reason = { $record } memerlukan alasan.
error-conflict = { $record } { $id }, kolom `{ $field }`: bertentangan dengan catatan yang sudah ada.
error-not-the-employee = Kegiatan { $entry } hanya dapat di-{ $action } oleh pegawai pemiliknya.
error-out-of-order = Waktu { $at } mendahului catatan terakhir ({ $last }).
error-claim-too-old = Waktu yang diklaim { $at } terlalu lama sebelum diterima ({ $received_at }).
error-claim-in-future = Waktu yang diklaim { $at } setelah waktu diterima ({ $received_at }).
error-duplicate-key = Kunci { $key } sudah dipakai oleh catatan nomor { $seq }.
error-clock-outside-site = Absensi { $employee } pada { $at } ditolak: { $distance_m } m dari lokasi { $site }, { $beyond_m } m di luar radius (kolom `{ $field }`).
error-clock-without-position = Absensi { $employee } pada { $at } ditolak: absensi dari ponsel harus menyertakan lokasi (kolom `{ $field }`).
error-clock-bad-position = Absensi { $employee } pada { $at } ditolak: lokasi { $latitude }, { $longitude } bukan koordinat yang sah (kolom `{ $field }`).
error-forged = Catatan tidak sah: { $detail }
error-format = Format tidak dapat dibaca: { $detail }
error-replay = Catatan nomor { $seq } tidak dapat diputar ulang: { $reason }
error-io = Berkas tidak dapat dibaca atau ditulis: { $detail }
error-not-a-journal = Berkas ini bukan jurnal Kinerja.
error-unsupported-version = Jurnal versi { $found } tidak didukung.
error-chain = Rantai hash jurnal rusak pada catatan nomor { $seq }: { $fault }.

## Kebijakan (policy)

error-invalid-policy = Berkas kebijakan { $file } tidak sah ({ $count } masalah).
error-unknown-key = Kunci kebijakan `{ $key }` tidak dikenal.
error-no-value = Kebijakan `{ $key }` tidak mempunyai nilai yang berlaku pada { $date }.
error-not-covered = Kebijakan tidak mencakup tanggal { $date }: kunci `{ $key }` belum mempunyai nilai (lihat rentang berlaku di `kinerja policy`).
error-unverified-policy = TPP { $month } akan dibayar dengan { $count } nilai kebijakan yang belum terverifikasi (recalled/illustrative); bayar hanya dengan izin eksplisit (`--allow-unverified`), yang dicatat pada slip.
error-wrong-type = Nilai kebijakan `{ $key }` bertipe salah.
error-bad-value = Nilai kebijakan `{ $key }` tidak sah.

## Data masukan

error-validation = Data masukan ditolak: { $count } masalah ditemukan.
error-invalid-dataset = Dataset tidak sah: { $count } masalah ditemukan.
error-invalid-input = Data masukan ditolak: { $detail }
error-invalid-params = Parameter tidak sah: { $detail }
error-invalid-result = Hasil impor tidak sah: { $detail }
error-not-found = { $record } { $id } tidak ditemukan.
error-invalid-nip = NIP tidak sah: { $detail }
error-nip-wrong-length = NIP `{ $nip }` terdiri atas { $length } digit; seharusnya 18.
error-nip-non-digit = NIP `{ $nip }`: karakter `{ $character }` pada posisi { $position } bukan angka.
error-nip-invalid-birth-date = NIP `{ $nip }`: tanggal lahir (digit 1–8) tidak sah.
error-nip-invalid-appointment-month = NIP `{ $nip }`: bulan pengangkatan (digit 9–14) tidak sah.
error-nip-appointment-before-birth = NIP `{ $nip }`: tanggal pengangkatan mendahului tanggal lahir.
error-nip-invalid-gender = NIP `{ $nip }`: kode jenis kelamin (digit 15) harus 1 atau 2.
error-nip-zero-sequence = NIP `{ $nip }`: nomor urut (digit 16–18) tidak boleh 000.

## Analisis beban kerja (ABK) dan target

error-abk-effective-time = Waktu kerja efektif ABK tidak sah: { $detail }
error-abk-conversion-factor = Faktor konversi ABK tidak sah: { $detail }
error-abk-grade-bands = Pita nilai efisiensi ABK tidak sah: { $detail }
error-calendar-range = Kalender tidak mencakup seluruh hari pada { $month }.

## Penggajian dan tunjangan (TPP)

error-month-mismatch = Bulan tidak cocok: { $input } dan { $params }.
error-month-not-closed = Bulan { $month } belum ditutup; TPP hanya dibayar dari rekap bulan yang sudah ditutup.
error-invalid-allowance-input = Data TPP ditolak: { $detail }
error-unknown-sanction-level = Pegawai { $employee }, kolom `sanctions[{ $index }].level`: `{ $level }` bukan tingkat hukuman disiplin (yang dikenal: { $known }).
error-sanction-months-not-allowed = Pegawai { $employee }, kolom `sanctions[{ $index }].months`: { $months } bulan tidak diizinkan untuk tingkat `{ $level }` (yang diizinkan: { $allowed }).
error-allowance-invariant = Pegawai { $employee }: slip TPP melanggar invarian perhitungan: { $detail }
error-unsupported-slip-version = Slip versi { $version } tidak dapat diverifikasi oleh mesin ini.
error-slip-mismatch = Slip berbeda pada `{ $field }`: dibayar `{ $paid }`, dihitung ulang `{ $recomputed }`.

## Impor berkas

error-unreadable = Berkas tidak dapat dibaca: { $detail }
error-too-large = Berkas terlalu besar: { $detail }
error-empty-file = Berkas kosong.
error-missing-column = Kolom wajib tidak ada: { $detail }
error-duplicate-column = Kolom ganda: { $detail }
error-too-many-cells = Baris dengan terlalu banyak sel: { $detail }
error-malformed-csv = CSV rusak: { $detail }
error-invalid-mapping = Pemetaan kolom tidak sah: { $detail }
error-no-device = Mesin absensi tidak disebutkan: { $detail }
error-unknown-device = Mesin absensi tidak dikenal: { $detail }

## Perangkat (aplikasi seluler)

error-no-position = Pegawai { $employee } tidak mempunyai jabatan pada { $month }.
error-mismatch = Dokumen tidak cocok dengan sesi ini: { $detail }

## Penolakan wewenang (not-authorised-<alasan>)

not-authorised-self-verification = Pegawai tidak dapat memverifikasi kegiatannya sendiri.
not-authorised-no-supervisor = Pegawai { $employee } tidak mempunyai atasan langsung yang memverifikasi.
not-authorised-not-the-supervisor = { $verifier } bukan atasan langsung { $employee } pada { $date } (yang berwenang: jabatan { $position }).
not-authorised-unknown-employee = Pegawai { $employee } tidak ditemukan.
not-authorised-unknown-actor = Pengguna { $actor } tidak dikenal.
not-authorised-not-an-employee = { $actor } bukan pegawai.
not-authorised-not-in-service = { $actor } tidak aktif bekerja pada { $date }.
not-authorised-not-the-employee = { $actor } tidak dapat bertindak atas nama pegawai { $employee }.
not-authorised-not-an-officer = { $actor } tidak ditunjuk sebagai petugas { $role } pada { $date }.
not-authorised-outside-unit = Pegawai { $employee } tidak berada di unit kerja yang dilayani { $actor } pada { $date }.
not-authorised-not-a-device = { $actor } bukan mesin absensi.
not-authorised-wrong-device = Mesin { $actor } tidak melayani pegawai { $employee }.
not-authorised-not-the-verifier = { $actor } bukan pemverifikasi jabatan { $position }.
not-authorised-same-officer = { $actor } tidak dapat menyetujui tindakannya sendiri (diperlukan petugas kedua).
not-authorised-not-self-reportable = { $kind } tidak dapat dilaporkan sendiri oleh { $actor }; dicatat oleh petugas kepegawaian dengan bukti.

## Alasan tidak dibayar (not-paid-<kode>)

not-paid-no-assignment = Pegawai { $employee } tidak mempunyai penugasan jabatan.
not-paid-left-service = Penugasan terakhir pegawai { $employee } berakhir sebelum bulan ini.
not-paid-not-yet-assigned = Pegawai { $employee } baru ditugaskan setelah bulan ini.
not-paid-no-definitive-position = Pegawai { $employee } tidak mempunyai jabatan definitif pada bulan ini.
not-paid-acting-only = Pegawai { $employee } hanya menjabat sebagai pelaksana tugas (Plt) pada bulan ini.
not-paid-not-in-recap = Pegawai { $employee } tidak ada dalam rekap bulan ini.
not-paid-unknown-employee = Pegawai { $employee } tidak ditemukan dalam dataset.
not-paid-unknown-position = Jabatan pegawai { $employee } tidak ditemukan dalam dataset.
not-paid-duplicate-recap-row = Pegawai { $employee } muncul lebih dari sekali dalam rekap.

## Ruang sosial: iklan dan obrolan

error-social-not-found = { $record } { $id } tidak ditemukan.
error-not-the-owner = { $record } { $id } milik { $owner }, bukan { $actor }; hanya pemiliknya yang dapat mengubahnya.
error-not-a-member = { $actor } bukan anggota percakapan { $conversation }; hanya kedua anggotanya yang dapat membacanya.
error-not-a-moderator = { $actor } bukan moderator yang ditunjuk kota.
error-not-an-administrator = { $actor } bukan petugas kepegawaian (admin).
error-social-left-service = { $actor } sudah tidak aktif dalam dinas: riwayatnya tetap ada, tetapi tidak dapat memasang iklan atau mengirim pesan.
error-text-length = Kolom `{ $field }` berisi { $chars } karakter; harus 1 sampai { $max } karakter.
error-invalid-choice = `{ $value }` bukan nilai yang sah untuk { $field }.
error-negative-price = Harga { $price } tidak boleh di bawah nol.
error-too-many-photos = { $count } foto; paling banyak { $max }.
error-too-many-active-ads = { $actor } sudah memiliki { $active } iklan aktif (paling banyak { $max }).
error-rate-limited = Terlalu sering: { $count } kali dalam { $window } menit terakhir (paling banyak { $max }). Coba lagi sebentar lagi.
error-ad-transition = Iklan { $ad } berstatus { $status }; tindakan `{ $action }` tidak dapat dilakukan.
error-ad-expired = Iklan { $ad } sudah kedaluwarsa sejak { $at }; penjual dapat memperpanjangnya.
error-own-ad = { $actor } adalah penjual iklan { $ad }.
error-self-conversation = { $actor } tidak dapat membuka percakapan atau memblokir dirinya sendiri.
error-blocked = { $blocker } telah memblokir { $blocked }; pesan tidak dapat dikirim.
error-conversation-exists = Percakapan { $conversation } sudah ada.
error-message-deleted = Pesan { $message } sudah dihapus.
error-edit-window-passed = Pesan { $message } hanya dapat diubah dalam { $minutes } menit setelah dikirim.
error-duplicate-key = Kunci `{ $key }` sudah dipakai untuk pesan { $message }.
error-report-resolved = Laporan { $report } sudah ditangani.
error-social-chain-broken = Catatan ruang sosial rusak pada peristiwa { $seq }: { $reason }.
not-paid-before-go-live = Unit kerja pegawai { $employee } belum mulai (go-live) pada bulan ini: { $detail }

## Anggaran, kesiapan unit, laporan, penghargaan (insights)

error-budget-ceiling-exceeded = Sub kegiatan { $id }, kolom `{ $field }`: realisasi sampai bulan ke-{ $month } berjumlah { $realised }, melebihi pagu { $ceiling }.
error-budget-plan-exceeds-ceiling = Sub kegiatan { $id }, kolom `{ $field }`: rencana penarikan dana bulanan berjumlah { $planned }, melebihi pagu { $ceiling }.
error-budget-progress-out-of-range = Sub kegiatan { $id }, kolom `{ $field }`: realisasi fisik { $progress } % pada bulan ke-{ $month } di luar 0 sampai 100 %.
error-negative-amount = Catatan { $record } { $id }, kolom `{ $field }`: jumlah { $amount } bernilai negatif.
error-too-many-months = Catatan { $record } { $id }, kolom `{ $field }`: diberikan { $count } bulan, padahal satu tahun anggaran 12 bulan.
error-duplicate-code = Catatan { $record } { $id }, kolom `{ $field }`: kode dipakai dua kali.
error-unknown-unit = Catatan { $record } { $id }, kolom `{ $field }`: unit kerja { $unit } tidak ada dalam dataset.
error-score-out-of-range = Nominasi { $id }, kolom `{ $field }`: nilai panel { $score } di luar 0 sampai 100.
error-no-history = Laporan { $record }, kolom `{ $field }`: tidak ada bulan riwayat yang diberikan.
error-invalid-targets = Target tahunan tidak dapat dihitung: catatan { $record } { $id }, kolom `{ $field }` ({ $count } masalah): { $detail }
error-inverted-plan = Rencana { $id }, kolom `{ $field }`: tahun akhir { $until } sebelum tahun awal { $from }.
