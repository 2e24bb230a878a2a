"""Static lists for the demo city: units, places, people's names, categories and texts.

Places are real Kota Semarang kecamatan and kelurahan; everything about people is invented.
"""

from __future__ import annotations

TENANT_NAME = "Kota Semarang (demo)"
TENANT_CODE = "semarang-demo"
TIMEZONE = "Asia/Jakarta"
ADMIN_UNIT = "DISKOMINFO"
SOURCES = ("lapor", "lapor_semar")

# (code, share in %, source): the two canonical sources split the channels between them.
CHANNELS = [
    ("lapor", 25.0, "lapor"),
    ("whatsapp", 22.0, "lapor_semar"),
    ("city_portal", 15.0, "lapor_semar"),
    ("call_center", 8.0, "lapor_semar"),
    ("instagram", 7.0, "lapor_semar"),
    ("walk_in", 5.0, "lapor_semar"),
    ("facebook", 4.0, "lapor_semar"),
    ("x", 4.0, "lapor_semar"),
    ("email", 3.0, "lapor_semar"),
    ("sms", 2.0, "lapor"),
    ("mobile_app", 2.0, "lapor"),
    ("mass_media", 2.0, "lapor_semar"),
    ("letter", 1.0, "lapor_semar"),
]
# Channels that only take complaints at a counter or by post, i.e. on working days.
OFFICE_CHANNELS = ("walk_in", "letter")
# Channels that usually carry a map pin.
GEO_CHANNELS = ("lapor", "mobile_app", "city_portal")

# kecamatan: (centroid lat, centroid lon, population weight, flood-prone weight,
#             kelurahan, streets)
KECAMATAN = {
    "Banyumanik": (
        -7.070,
        110.420,
        140,
        0.6,
        ["Banyumanik", "Srondol Wetan", "Pedalangan", "Padangsari", "Ngesrep"],
        ["Jl. Setiabudi", "Jl. Ngesrep Timur V", "Jl. Durian Raya", "Jl. Perintis Kemerdekaan"],
    ),
    "Candisari": (
        -7.010,
        110.420,
        78,
        0.5,
        ["Jatingaleh", "Jomblang", "Kaliwiru", "Tegalsari", "Wonotingal"],
        ["Jl. Sultan Agung", "Jl. Teuku Umar", "Jl. Jangli", "Jl. Tegalsari Raya"],
    ),
    "Gajahmungkur": (
        -7.020,
        110.400,
        60,
        0.5,
        ["Bendan Duwur", "Bendan Ngisor", "Gajahmungkur", "Lempongsari", "Sampangan"],
        ["Jl. Papandayan", "Jl. S. Parman", "Jl. Kelud Raya", "Jl. Menoreh Raya"],
    ),
    "Gayamsari": (
        -6.990,
        110.450,
        75,
        2.0,
        ["Gayamsari", "Kaligawe", "Pandean Lamper", "Sambirejo", "Tambakrejo"],
        ["Jl. Slamet Riyadi", "Jl. Citarum", "Jl. Kaligawe Raya", "Jl. Brigjen Sudiarto"],
    ),
    "Genuk": (
        -6.960,
        110.480,
        125,
        3.0,
        ["Bangetayu Wetan", "Genuksari", "Karangroto", "Muktiharjo Lor", "Trimulyo"],
        ["Jl. Raya Kaligawe", "Jl. Woltermonginsidi", "Jl. Padi Raya", "Jl. Bangetayu Raya"],
    ),
    "Gunungpati": (
        -7.090,
        110.370,
        95,
        0.4,
        ["Gunungpati", "Sekaran", "Sukorejo", "Patemon", "Pakintelan"],
        ["Jl. Raya Gunungpati", "Jl. Taman Siswa", "Jl. Kalialang Lama", "Jl. Sekaran Raya"],
    ),
    "Mijen": (
        -7.050,
        110.310,
        80,
        0.5,
        ["Mijen", "Jatibarang", "Jatisari", "Wonolopo", "Purwosari"],
        ["Jl. RM Hadi Soebeno", "Jl. Raya Mijen", "Jl. Semarang-Boja", "Jl. Jatisari Raya"],
    ),
    "Ngaliyan": (
        -7.000,
        110.340,
        140,
        1.0,
        ["Ngaliyan", "Beringin", "Kalipancur", "Purwoyoso", "Tambakaji"],
        ["Jl. Prof. Hamka", "Jl. Raya Ngaliyan", "Jl. Beringin Raya", "Jl. Bukit Kencana"],
    ),
    "Pedurungan": (
        -7.000,
        110.470,
        195,
        1.5,
        ["Pedurungan Kidul", "Palebon", "Kalicari", "Tlogosari Kulon", "Muktiharjo Kidul"],
        ["Jl. Majapahit", "Jl. Soekarno-Hatta", "Jl. Tlogosari Raya", "Jl. Fatmawati"],
    ),
    "Semarang Barat": (
        -6.980,
        110.380,
        150,
        1.5,
        ["Bongsari", "Krobokan", "Manyaran", "Kembangarum", "Tawangmas"],
        ["Jl. Jend. Sudirman", "Jl. Siliwangi", "Jl. Abdulrahman Saleh", "Jl. Pamularsih"],
    ),
    "Semarang Selatan": (
        -6.990,
        110.420,
        65,
        0.7,
        ["Lamper Kidul", "Lamper Tengah", "Peterongan", "Pleburan", "Wonodri"],
        ["Jl. Pahlawan", "Jl. MT Haryono", "Jl. Lamper Tengah Raya", "Jl. Wonodri Sendang"],
    ),
    "Semarang Tengah": (
        -6.980,
        110.410,
        55,
        1.0,
        ["Kauman", "Sekayu", "Miroto", "Pekunden", "Pendrikan Kidul"],
        ["Jl. Pemuda", "Jl. Gajahmada", "Jl. Pandanaran", "Jl. Imam Bonjol"],
    ),
    "Semarang Timur": (
        -6.980,
        110.430,
        70,
        2.0,
        ["Bugangan", "Karangtempel", "Kemijen", "Rejomulyo", "Sarirejo"],
        ["Jl. Dr. Cipto", "Jl. Ahmad Yani", "Jl. Barito", "Jl. Kartini"],
    ),
    "Semarang Utara": (
        -6.955,
        110.410,
        120,
        3.0,
        ["Bandarharjo", "Bulu Lor", "Dadapsari", "Panggung Lor", "Tanjung Mas"],
        ["Jl. Pengapon", "Jl. Ronggowarsito", "Jl. Arteri Yos Sudarso", "Jl. Layur"],
    ),
    "Tembalang": (
        -7.060,
        110.440,
        195,
        0.6,
        ["Tembalang", "Bulusan", "Kedungmundu", "Sendangmulyo", "Meteseh"],
        ["Jl. Prof. Sudarto", "Jl. Banjarsari", "Jl. Mulawarman Raya", "Jl. Bulusan Raya"],
    ),
    "Tugu": (
        -6.980,
        110.300,
        33,
        1.5,
        ["Jerakah", "Karanganyar", "Mangkang Kulon", "Mangkang Wetan", "Randugarut"],
        ["Jl. Walisongo", "Jl. Raya Mangkang", "Jl. Jerakah Raya", "Jl. Tugu Industri"],
    ),
}

# (code, name, kind, parent_code)
UNITS = [
    ("DPU", "Dinas Pekerjaan Umum", "dinas", ""),
    ("DISPERKIM", "Dinas Perumahan dan Kawasan Permukiman", "dinas", ""),
    ("DLH", "Dinas Lingkungan Hidup", "dinas", ""),
    ("DISHUB", "Dinas Perhubungan", "dinas", ""),
    ("DINKES", "Dinas Kesehatan", "dinas", ""),
    ("DISDIK", "Dinas Pendidikan", "dinas", ""),
    ("DISDUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil", "dinas", ""),
    ("DPMPTSP", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "dinas", ""),
    ("DINSOS", "Dinas Sosial", "dinas", ""),
    ("DISKOMINFO", "Dinas Komunikasi, Informatika, Statistik dan Persandian", "dinas", ""),
    ("SATPOLPP", "Satuan Polisi Pamong Praja", "dinas", ""),
    ("DAMKAR", "Dinas Pemadam Kebakaran", "dinas", ""),
    ("DISTARU", "Dinas Penataan Ruang", "dinas", ""),
    ("DISDAG", "Dinas Perdagangan", "dinas", ""),
    ("BAPPEDA", "Badan Perencanaan Pembangunan Daerah", "badan", ""),
    ("BPBD", "Badan Penanggulangan Bencana Daerah", "badan", ""),
    ("BAPENDA", "Badan Pendapatan Daerah", "badan", ""),
    ("BKPSDM", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", "badan", ""),
    ("SETDA", "Sekretariat Daerah", "other", ""),
    ("INSPEKTORAT", "Inspektorat", "other", ""),
    ("BAG-HUKUM", "Bagian Hukum Setda", "bagian", "SETDA"),
    ("BAG-UMUM", "Bagian Umum Setda", "bagian", "SETDA"),
    ("RSUD-WONGSONEGORO", "RSUD K.R.M.T. Wongsonegoro", "rsud", "DINKES"),
]
# kecamatan units KEC-<NAME> are added from KECAMATAN; kelurahan units: (village, kecamatan)
KELURAHAN_UNITS = [
    ("Tembalang", "Tembalang"),
    ("Tanjung Mas", "Semarang Utara"),
    ("Sendangmulyo", "Tembalang"),
]
# puskesmas: (name, kecamatan it serves)
PUSKESMAS = [
    ("Kedungmundu", "Tembalang"),
    ("Srondol", "Banyumanik"),
    ("Halmahera", "Semarang Timur"),
    ("Bandarharjo", "Semarang Utara"),
    ("Ngaliyan", "Ngaliyan"),
    ("Tlogosari Kulon", "Pedurungan"),
    ("Gunungpati", "Gunungpati"),
]

# Positions by unit kind: head, middle ranks, staff.  Grades follow the rank.
HEAD = {
    "dinas": "Kepala Dinas",
    "badan": "Kepala Badan",
    "bagian": "Kepala Bagian",
    "kecamatan": "Camat",
    "kelurahan": "Lurah",
    "puskesmas": "Kepala Puskesmas",
    "rsud": "Direktur",
    "other": "Kepala",
}
HEAD_BY_UNIT = {
    "SATPOLPP": "Kepala Satuan",
    "INSPEKTORAT": "Inspektur",
    "SETDA": "Asisten Sekretaris Daerah",
}
MIDDLE = {
    "dinas": ["Sekretaris Dinas", "Kepala Bidang", "Kepala Seksi", "Kepala Seksi"],
    "badan": ["Sekretaris Badan", "Kepala Bidang", "Kepala Subbidang"],
    "bagian": ["Kepala Subbagian"],
    "kecamatan": [
        "Sekretaris Kecamatan",
        "Kepala Seksi Pemerintahan",
        "Kepala Seksi Ketenteraman dan Ketertiban",
    ],
    "kelurahan": ["Sekretaris Kelurahan", "Kepala Seksi Pemerintahan"],
    "puskesmas": ["Kepala Subbagian Tata Usaha"],
    "rsud": ["Kepala Bagian Umum", "Kepala Seksi Pelayanan"],
    "other": ["Inspektur Pembantu", "Auditor Madya"],
}
STAFF = {
    "dinas": [
        "Staf Pelaksana",
        "Staf Pelaksana",
        "Analis Pengaduan",
        "Pengelola Layanan Operasional",
        "Teknisi Lapangan",
    ],
    "badan": ["Staf Pelaksana", "Analis Kebijakan", "Pengelola Layanan Operasional"],
    "bagian": ["Staf Pelaksana", "Analis Hukum"],
    "kecamatan": ["Staf Pelaksana", "Pengadministrasi Umum", "Analis Pengaduan"],
    "kelurahan": ["Staf Pelaksana", "Pengadministrasi Umum"],
    "puskesmas": ["Perawat", "Bidan", "Pengadministrasi Umum", "Petugas Pengaduan"],
    "rsud": ["Staf Humas", "Petugas Pengaduan", "Perawat"],
    "other": ["Auditor Pertama", "Staf Pelaksana"],
}
ADMIN_POSITION = "Admin SP4N-LAPOR!"
GRADES = {
    "head": ["IV/a", "IV/b"],
    "middle": ["III/c", "III/d", "IV/a"],
    "staff": ["III/a", "III/b", "III/c"],
}

MALE_NAMES = [
    "Agus",
    "Budi",
    "Slamet",
    "Joko",
    "Hadi",
    "Bambang",
    "Teguh",
    "Wahyu",
    "Eko",
    "Dwi",
    "Rudi",
    "Andi",
    "Arif",
    "Fajar",
    "Rizky",
    "Dimas",
    "Yusuf",
    "Hendra",
    "Bayu",
    "Adi",
    "Sutrisno",
    "Sugeng",
    "Heru",
    "Puji",
    "Iwan",
    "Nugroho",
    "Ahmad",
    "Muhammad",
    "Rahmat",
    "Gunawan",
    "Yoga",
    "Aditya",
    "Ilham",
    "Taufik",
    "Dedi",
    "Hari",
    "Bagus",
    "Danang",
]
FEMALE_NAMES = [
    "Sri",
    "Dewi",
    "Siti",
    "Rina",
    "Endang",
    "Wulan",
    "Ratna",
    "Yuliana",
    "Nur",
    "Fitri",
    "Ika",
    "Anik",
    "Diah",
    "Retno",
    "Indah",
    "Kartika",
    "Ayu",
    "Novi",
    "Tri",
    "Lina",
    "Sekar",
    "Puspita",
    "Rahmawati",
    "Eni",
    "Nanik",
    "Dyah",
    "Anisa",
    "Intan",
    "Rini",
]
MALE_SURNAMES = [
    "Santoso",
    "Wibowo",
    "Prasetyo",
    "Nugroho",
    "Setiawan",
    "Hidayat",
    "Kurniawan",
    "Saputra",
    "Purnomo",
    "Susanto",
    "Kusuma",
    "Hartono",
    "Wijaya",
    "Budiman",
    "Sulistyo",
    "Pranoto",
    "Haryanto",
    "Firmansyah",
    "Suryadi",
    "Ramadhan",
]
FEMALE_SURNAMES = [
    "Rahayu",
    "Wulandari",
    "Lestari",
    "Handayani",
    "Pratiwi",
    "Utami",
    "Suryani",
    "Kusumawati",
    "Puspitasari",
    "Anggraini",
    "Safitri",
    "Maharani",
    "Permatasari",
    "Setyaningsih",
    "Susilowati",
]
DEGREES = ["S.T.", "S.E.", "S.H.", "S.Sos.", "S.Kom.", "S.AP.", "S.IP.", "A.Md.", "M.M.", "M.Si."]
DEGREES_HEALTH = ["S.Kep., Ns.", "A.Md.Keb.", "A.Md.Kep.", "S.KM."]

# Reporter keys
PHONE_PREFIXES = [
    "0812",
    "0813",
    "0821",
    "0822",
    "0852",
    "0853",
    "0857",
    "0858",
    "0877",
    "0878",
    "0881",
    "0895",
    "0896",
]
EMAIL_DOMAINS = ["gmail.com", "yahoo.co.id", "gmail.com", "outlook.com", "gmail.com"]
REPORTER_NAMES = [n.lower() for n in MALE_NAMES + FEMALE_NAMES]

# Month profiles (Jan..Dec) that modulate category volume.
SEASONS = {
    "flat": [1.0] * 12,
    "rain": [2.0, 2.0, 1.7, 1.2, 0.8, 0.5, 0.4, 0.4, 0.5, 0.8, 1.5, 2.0],
    "rain_mild": [1.3, 1.3, 1.2, 1.0, 0.9, 0.8, 0.8, 0.8, 0.85, 0.95, 1.15, 1.3],
    "school": [0.8, 0.8, 0.8, 0.8, 1.0, 2.2, 2.0, 1.0, 0.8, 0.8, 0.8, 0.8],
    "tax": [0.7, 0.8, 0.9, 0.9, 1.0, 1.0, 1.2, 1.6, 1.6, 0.9, 0.8, 0.7],
    "dry": [0.7, 0.7, 0.8, 0.9, 1.0, 1.2, 1.4, 1.5, 1.5, 1.2, 0.8, 0.7],
}
# Relative volume by hour of receipt (00..23).
HOUR_WEIGHTS = [
    0.4,
    0.2,
    0.15,
    0.15,
    0.3,
    0.8,
    2.0,
    5.0,
    8.0,
    9.0,
    9.0,
    8.0,
    6.0,
    6.0,
    7.0,
    7.0,
    6.0,
    5.0,
    5.0,
    5.5,
    5.0,
    4.0,
    2.5,
    1.2,
]

# Complaint classes: (code, share)
CLASSES = [
    ("pengaduan", 0.825),
    ("permintaan_informasi", 0.12),
    ("aspirasi", 0.05),
    ("whistleblowing", 0.005),
]

# Routing targets: a unit code, "@kec" (the district's kecamatan, or its kelurahan unit
# where one exists) or "@pkm" (the district's puskesmas, else Dinas Kesehatan).
CATEGORIES = [
    {
        "code": "jalan_rusak",
        "label": "jalan rusak",
        "share": 13.0,
        "season": "rain_mild",
        "route": [("DPU", 0.85), ("@kec", 0.15)],
        "confuse": ["DISPERKIM", "@kec", "DISHUB"],
        "titles": ["Jalan berlubang", "Aspal rusak parah", "Jalan retak dan bergelombang"],
        "problems": [
            "Jalan berlubang cukup dalam",
            "Aspal mengelupas sepanjang kurang lebih 50 m",
            "Kondisi jalan rusak dan bergelombang",
        ],
        "details": [
            "Sudah ada pengendara motor yang terjatuh.",
            "Saat hujan lubang tertutup genangan dan tidak terlihat.",
            "Kerusakan sudah lebih dari sebulan.",
        ],
        "info": "jadwal perbaikan jalan",
        "responses": [
            "Laporan diteruskan ke UPTD Bina Marga untuk survei lokasi.",
            "Tim akan melakukan pengecekan lapangan minggu ini.",
        ],
        "resolutions": [
            "Perbaikan tambal sulam telah dilaksanakan. Terima kasih atas laporannya.",
            "Ruas jalan telah diperbaiki oleh tim UPTD.",
        ],
    },
    {
        "code": "drainase_banjir",
        "label": "drainase dan banjir",
        "share": 10.0,
        "season": "rain",
        "route": [("DPU", 0.7), ("@kec", 0.3)],
        "confuse": ["DLH", "BPBD", "@kec"],
        "flood": True,
        "titles": ["Saluran air tersumbat", "Banjir setiap hujan", "Genangan air tidak surut"],
        "problems": [
            "Saluran drainase tersumbat sampah dan sedimen",
            "Air meluap ke jalan dan rumah warga setiap hujan deras",
            "Genangan setinggi mata kaki tidak surut berhari-hari",
        ],
        "details": [
            "Mohon dilakukan normalisasi saluran.",
            "Rumah warga sudah kemasukan air.",
            "Pompa air di lokasi tidak berfungsi.",
        ],
        "info": "jadwal normalisasi saluran",
        "responses": [
            "Tim drainase akan melakukan pengecekan saluran.",
            "Laporan diteruskan ke bidang sumber daya air.",
        ],
        "resolutions": [
            "Normalisasi saluran telah dilakukan dan air sudah mengalir.",
            "Sedimen telah dikeruk, genangan sudah surut.",
        ],
    },
    {
        "code": "sampah",
        "label": "sampah",
        "share": 9.0,
        "season": "rain_mild",
        "route": [("DLH", 0.65), ("@kec", 0.35)],
        "confuse": ["DISPERKIM", "SATPOLPP", "@kec"],
        "titles": ["Sampah menumpuk", "Sampah tidak diangkut", "Pembuangan sampah liar"],
        "problems": [
            "Sampah menumpuk dan berbau",
            "Sampah tidak diangkut sudah seminggu",
            "Ada pembuangan sampah liar di pinggir jalan",
        ],
        "details": [
            "Banyak lalat dan mengganggu warga.",
            "Sampah meluber sampai ke jalan.",
            "Warga dari luar wilayah ikut membuang sampah di sini.",
        ],
        "info": "jadwal pengangkutan sampah",
        "responses": [
            "Laporan diteruskan ke petugas kebersihan wilayah.",
            "Armada pengangkut akan dijadwalkan.",
        ],
        "resolutions": [
            "Sampah telah diangkut oleh petugas.",
            "Lokasi telah dibersihkan dan dipasang papan larangan.",
        ],
    },
    {
        "code": "pju",
        "label": "penerangan jalan umum",
        "share": 7.0,
        "season": "flat",
        "route": [("DISPERKIM", 1.0)],
        "confuse": ["DISHUB", "DPU"],
        "titles": ["Lampu jalan mati", "PJU padam", "Lampu penerangan jalan rusak"],
        "problems": [
            "Lampu penerangan jalan mati",
            "Beberapa tiang PJU padam",
            "Lampu jalan berkedip dan sering mati",
        ],
        "details": [
            "Jalan menjadi gelap dan rawan kejahatan.",
            "Sudah lebih dari dua minggu.",
            "Banyak pengendara kesulitan di malam hari.",
        ],
        "info": "prosedur pengajuan lampu jalan baru",
        "responses": [
            "Tim PJU akan melakukan pengecekan.",
            "Laporan diteruskan ke UPTD Penerangan Jalan Umum.",
        ],
        "resolutions": [
            "Lampu PJU telah diganti dan menyala kembali.",
            "Perbaikan instalasi PJU telah selesai.",
        ],
    },
    {
        "code": "adminduk",
        "label": "administrasi kependudukan",
        "share": 8.0,
        "season": "flat",
        "route": [("DISDUKCAPIL", 0.85), ("@kec", 0.15)],
        "confuse": ["@kec", "DISKOMINFO"],
        "titles": ["KTP-el belum jadi", "Pengurusan KK lama", "Akta kelahiran belum terbit"],
        "problems": [
            "KTP-el yang diajukan belum jadi",
            "Pengurusan kartu keluarga sangat lama",
            "Akta kelahiran anak belum terbit",
        ],
        "details": [
            "Sudah lebih dari satu bulan sejak pengajuan.",
            "Blanko disebut sedang kosong.",
            "Status di aplikasi tidak berubah.",
        ],
        "info": "syarat pembuatan KTP-el dan KK",
        "responses": [
            "Data pemohon sedang dicek oleh petugas.",
            "Mohon membawa bukti pengajuan ke kantor Disdukcapil.",
        ],
        "resolutions": [
            "Dokumen kependudukan telah selesai dan dapat diambil.",
            "Dokumen sudah terbit dan dikirim secara elektronik.",
        ],
    },
    {
        "code": "perizinan",
        "label": "perizinan",
        "share": 5.0,
        "season": "flat",
        "route": [("DPMPTSP", 1.0)],
        "confuse": ["DISTARU", "DPU"],
        "titles": ["Izin usaha tidak kunjung terbit", "Proses PBG lama", "Kendala perizinan OSS"],
        "problems": [
            "Permohonan izin usaha tidak kunjung terbit",
            "Proses Persetujuan Bangunan Gedung sangat lama",
            "Pengajuan izin melalui OSS terkendala",
        ],
        "details": [
            "Berkas sudah lengkap sejak bulan lalu.",
            "Tidak ada kejelasan status.",
            "Petugas tidak dapat dihubungi.",
        ],
        "info": "syarat dan lama proses perizinan",
        "responses": [
            "Berkas permohonan sedang diverifikasi.",
            "Pemohon diundang konsultasi ke Mal Pelayanan Publik.",
        ],
        "resolutions": [
            "Izin telah terbit dan dapat diunduh.",
            "Permohonan telah diproses sesuai ketentuan.",
        ],
    },
    {
        "code": "puskesmas",
        "label": "layanan puskesmas",
        "share": 5.0,
        "season": "flat",
        "route": [("@pkm", 1.0)],
        "confuse": ["DINKES", "RSUD-WONGSONEGORO"],
        "titles": [
            "Antrean puskesmas lama",
            "Pelayanan puskesmas kurang ramah",
            "Obat di puskesmas kosong",
        ],
        "problems": [
            "Antrean di puskesmas sangat lama",
            "Petugas puskesmas kurang ramah",
            "Obat yang diresepkan tidak tersedia di puskesmas",
        ],
        "details": [
            "Menunggu lebih dari tiga jam.",
            "Pasien lansia tidak didahulukan.",
            "Disuruh membeli di apotek luar.",
        ],
        "info": "jadwal layanan puskesmas",
        "responses": [
            "Kepala puskesmas akan melakukan evaluasi layanan.",
            "Keluhan telah disampaikan kepada petugas terkait.",
        ],
        "resolutions": [
            "Alur antrean telah diperbaiki dan petugas telah dibina.",
            "Stok obat telah dipenuhi kembali.",
        ],
    },
    {
        "code": "pendidikan",
        "label": "pendidikan",
        "share": 6.0,
        "season": "school",
        "route": [("DISDIK", 1.0)],
        "confuse": ["@kec", "BAPPEDA"],
        "titles": ["Masalah PPDB", "Pungutan di sekolah", "Kondisi ruang kelas rusak"],
        "problems": [
            "Anak kami tidak diterima PPDB zonasi padahal rumah dekat sekolah",
            "Ada pungutan biaya seragam di sekolah negeri",
            "Atap ruang kelas bocor dan plafon rusak",
        ],
        "details": [
            "Mohon penjelasan dari dinas.",
            "Orang tua merasa keberatan.",
            "Membahayakan siswa saat belajar.",
        ],
        "info": "jadwal dan syarat PPDB",
        "responses": [
            "Laporan diteruskan ke bidang pembinaan sekolah.",
            "Dinas akan memanggil pihak sekolah untuk klarifikasi.",
        ],
        "resolutions": [
            "Pihak sekolah telah diberi pembinaan dan pungutan dihentikan.",
            "Perbaikan ruang kelas telah dijadwalkan dan dikerjakan.",
        ],
    },
    {
        "code": "transportasi",
        "label": "transportasi dan parkir",
        "share": 5.0,
        "season": "flat",
        "route": [("DISHUB", 1.0)],
        "confuse": ["SATPOLPP", "DPU"],
        "titles": ["Parkir liar", "Lampu lalu lintas mati", "Bus Trans Semarang terlambat"],
        "problems": [
            "Parkir liar memakan badan jalan",
            "Lampu lalu lintas mati",
            "Bus Trans Semarang sering terlambat",
        ],
        "details": [
            "Menyebabkan kemacetan panjang.",
            "Rawan kecelakaan di persimpangan.",
            "Penumpang menunggu lebih dari 45 menit.",
        ],
        "info": "rute dan jadwal Trans Semarang",
        "responses": [
            "Petugas perhubungan akan melakukan penertiban.",
            "Laporan diteruskan ke UPTD terkait.",
        ],
        "resolutions": [
            "Penertiban parkir telah dilakukan.",
            "Lampu lalu lintas telah berfungsi normal.",
        ],
    },
    {
        "code": "ketertiban",
        "label": "ketertiban umum",
        "share": 5.0,
        "season": "flat",
        "route": [("SATPOLPP", 0.7), ("@kec", 0.3)],
        "confuse": ["DISDAG", "@kec"],
        "titles": ["PKL di trotoar", "Bangunan liar", "Reklame liar"],
        "problems": [
            "Pedagang kaki lima berjualan di trotoar",
            "Ada bangunan liar di atas saluran",
            "Reklame liar dipasang di pohon",
        ],
        "details": [
            "Pejalan kaki terpaksa turun ke jalan.",
            "Sudah pernah ditegur tapi kembali.",
            "Mengganggu keindahan kota.",
        ],
        "info": "aturan penertiban PKL",
        "responses": [
            "Tim Satpol PP akan melakukan patroli ke lokasi.",
            "Laporan diteruskan ke regu penegakan perda.",
        ],
        "resolutions": [
            "Penertiban telah dilaksanakan.",
            "Pelanggar telah diberi teguran tertulis.",
        ],
    },
    {
        "code": "air_bersih",
        "label": "air bersih",
        "share": 4.0,
        "season": "dry",
        "route": [("DPU", 0.6), ("@kec", 0.4)],
        "confuse": ["DISPERKIM", "@kec"],
        "titles": ["Air bersih tidak mengalir", "Air keruh", "Pipa air bocor"],
        "problems": [
            "Air bersih tidak mengalir",
            "Air yang keluar keruh dan berbau",
            "Pipa air bocor di pinggir jalan",
        ],
        "details": [
            "Sudah tiga hari warga kesulitan air.",
            "Tidak layak untuk dikonsumsi.",
            "Air terbuang percuma.",
        ],
        "info": "jadwal distribusi air bersih",
        "responses": ["Petugas akan mengecek jaringan pipa.", "Bantuan tangki air dijadwalkan."],
        "resolutions": [
            "Kebocoran pipa telah diperbaiki.",
            "Distribusi air bersih telah normal kembali.",
        ],
    },
    {
        "code": "bansos",
        "label": "bantuan sosial",
        "share": 5.0,
        "season": "flat",
        "route": [("DINSOS", 0.6), ("@kec", 0.4)],
        "confuse": ["DISDUKCAPIL", "@kec"],
        "titles": [
            "Bansos tidak tepat sasaran",
            "Belum menerima bantuan",
            "Data DTKS tidak sesuai",
        ],
        "problems": [
            "Bantuan sosial diterima warga yang mampu",
            "Keluarga kami yang tidak mampu belum menerima bantuan",
            "Data DTKS keluarga kami tidak sesuai",
        ],
        "details": [
            "Mohon verifikasi ulang data penerima.",
            "Sudah melapor ke RT dan RW.",
            "Kami memiliki lansia dan anak yatim.",
        ],
        "info": "syarat pendaftaran DTKS",
        "responses": [
            "Data akan diverifikasi bersama pendamping sosial.",
            "Laporan diteruskan ke operator DTKS kelurahan.",
        ],
        "resolutions": [
            "Data penerima telah dimutakhirkan.",
            "Pelapor telah didaftarkan dalam usulan DTKS.",
        ],
    },
    {
        "code": "tata_ruang",
        "label": "tata ruang dan bangunan",
        "share": 3.0,
        "season": "flat",
        "route": [("DISTARU", 1.0)],
        "confuse": ["DPMPTSP", "SATPOLPP"],
        "field": True,
        "titles": ["Bangunan tanpa izin", "Alih fungsi lahan", "Bangunan melanggar sempadan"],
        "problems": [
            "Ada bangunan baru yang diduga tanpa PBG",
            "Lahan hijau dialihfungsikan menjadi perumahan",
            "Bangunan ruko melanggar garis sempadan jalan",
        ],
        "details": [
            "Mohon dilakukan pengecekan lapangan.",
            "Warga sekitar keberatan.",
            "Pembangunan berjalan siang dan malam.",
        ],
        "info": "peta rencana tata ruang",
        "responses": [
            "Tim akan melakukan pemeriksaan lapangan.",
            "Pemilik bangunan akan dipanggil untuk klarifikasi.",
        ],
        "resolutions": [
            "Hasil pemeriksaan lapangan telah ditindaklanjuti dengan surat teguran.",
            "Pembangunan dihentikan sampai perizinan lengkap.",
        ],
    },
    {
        "code": "pohon_tumbang",
        "label": "pohon tumbang",
        "share": 2.0,
        "season": "rain",
        "route": [("DISPERKIM", 0.6), ("BPBD", 0.4)],
        "confuse": ["DLH", "DAMKAR"],
        "titles": ["Pohon tumbang", "Pohon rawan tumbang", "Dahan pohon patah"],
        "problems": [
            "Pohon tumbang menutup jalan",
            "Pohon besar miring dan rawan tumbang",
            "Dahan pohon patah menimpa kabel",
        ],
        "details": [
            "Membahayakan pengguna jalan.",
            "Mohon segera dipangkas.",
            "Angin kencang semalam.",
        ],
        "info": "prosedur permohonan perantingan pohon",
        "responses": ["Tim pertamanan akan menuju lokasi.", "Regu evakuasi telah dijadwalkan."],
        "resolutions": [
            "Pohon telah dipotong dan jalan kembali dapat dilalui.",
            "Perantingan pohon telah dilaksanakan.",
        ],
    },
    {
        "code": "kebisingan",
        "label": "kebisingan dan polusi",
        "share": 2.0,
        "season": "flat",
        "route": [("DLH", 0.5), ("SATPOLPP", 0.5)],
        "confuse": ["@kec"],
        "titles": ["Kebisingan usaha", "Polusi asap pabrik", "Suara musik keras malam hari"],
        "problems": [
            "Suara mesin usaha sangat bising",
            "Asap pabrik mencemari permukiman",
            "Tempat hiburan memutar musik keras sampai larut malam",
        ],
        "details": [
            "Warga tidak bisa beristirahat.",
            "Banyak anak batuk-batuk.",
            "Sudah ditegur warga tapi tidak diindahkan.",
        ],
        "info": "ketentuan baku mutu kebisingan",
        "responses": [
            "Petugas akan melakukan pengukuran di lokasi.",
            "Pengelola usaha akan dipanggil.",
        ],
        "resolutions": [
            "Pengelola usaha telah diberi peringatan tertulis.",
            "Pengukuran selesai dan usaha diwajibkan memasang peredam.",
        ],
    },
    {
        "code": "pajak_daerah",
        "label": "pajak daerah",
        "share": 2.5,
        "season": "tax",
        "route": [("BAPENDA", 1.0)],
        "confuse": ["DPMPTSP"],
        "titles": ["SPPT PBB belum diterima", "Tagihan PBB tidak sesuai", "Kendala bayar pajak"],
        "problems": [
            "SPPT PBB tahun ini belum kami terima",
            "Tagihan PBB naik tidak wajar",
            "Pembayaran pajak daerah secara daring gagal",
        ],
        "details": [
            "Mohon penjelasan.",
            "Luas bangunan di SPPT tidak sesuai.",
            "Saldo sudah terpotong.",
        ],
        "info": "cara pembayaran PBB secara daring",
        "responses": ["Data objek pajak sedang dicek.", "Mohon melampirkan bukti pembayaran."],
        "resolutions": ["Data SPPT telah dikoreksi.", "Pembayaran telah terverifikasi."],
    },
    {
        "code": "pelayanan_kelurahan",
        "label": "pelayanan kelurahan",
        "share": 3.0,
        "season": "flat",
        "route": [("@kec", 1.0)],
        "confuse": ["DISDUKCAPIL"],
        "titles": [
            "Surat pengantar dipersulit",
            "Kantor kelurahan tutup jam kerja",
            "Pelayanan kelurahan lambat",
        ],
        "problems": [
            "Pengurusan surat pengantar dipersulit",
            "Kantor kelurahan tutup pada jam kerja",
            "Pelayanan di kelurahan lambat",
        ],
        "details": [
            "Diminta kembali berkali-kali.",
            "Tidak ada petugas di loket.",
            "Tidak ada informasi persyaratan.",
        ],
        "info": "persyaratan surat keterangan domisili",
        "responses": [
            "Lurah akan melakukan evaluasi pelayanan.",
            "Petugas telah diingatkan jam layanan.",
        ],
        "resolutions": ["Surat telah diterbitkan.", "Jadwal piket loket telah diperbaiki."],
    },
    {
        "code": "rumah_sakit",
        "label": "layanan RSUD",
        "share": 1.5,
        "season": "flat",
        "route": [("RSUD-WONGSONEGORO", 1.0)],
        "confuse": ["DINKES"],
        "titles": ["Antrean RSUD lama", "Pasien BPJS ditolak", "Pelayanan IGD lambat"],
        "problems": [
            "Antrean poliklinik RSUD sangat lama",
            "Pasien BPJS diminta membayar",
            "Penanganan di IGD lambat",
        ],
        "details": ["Menunggu sejak pagi.", "Mohon penjelasan.", "Pasien dalam kondisi lemah."],
        "info": "jadwal poliklinik RSUD",
        "responses": [
            "Keluhan diteruskan ke bagian pelayanan.",
            "Unit pengaduan RSUD akan menghubungi pelapor.",
        ],
        "resolutions": ["Alur layanan telah dievaluasi.", "Masalah penjaminan telah diselesaikan."],
    },
    {
        "code": "pasar",
        "label": "pasar dan PKL",
        "share": 1.5,
        "season": "flat",
        "route": [("DISDAG", 1.0)],
        "confuse": ["SATPOLPP"],
        "titles": ["Pasar becek dan kotor", "Retribusi pasar tidak jelas", "Kios pasar rusak"],
        "problems": [
            "Lantai pasar becek dan kotor",
            "Penarikan retribusi pasar tanpa karcis",
            "Atap kios pasar bocor",
        ],
        "details": ["Pembeli enggan datang.", "Pedagang keberatan.", "Barang dagangan rusak."],
        "info": "tarif retribusi pasar",
        "responses": ["Kepala pasar akan menindaklanjuti.", "Petugas akan mengecek lokasi."],
        "resolutions": ["Pembersihan pasar telah dilakukan.", "Perbaikan atap kios selesai."],
    },
    {
        "code": "bencana",
        "label": "bencana",
        "share": 1.0,
        "season": "rain",
        "route": [("BPBD", 1.0)],
        "confuse": ["DPU", "@kec"],
        "titles": ["Tanah longsor", "Talut ambrol", "Banjir rob"],
        "problems": [
            "Terjadi tanah longsor di belakang rumah warga",
            "Talut sungai ambrol",
            "Banjir rob masuk ke permukiman",
        ],
        "details": [
            "Warga khawatir longsor susulan.",
            "Mohon bantuan segera.",
            "Air laut pasang sejak subuh.",
        ],
        "info": "prosedur permintaan bantuan bencana",
        "responses": ["Tim Reaksi Cepat BPBD menuju lokasi.", "Assesment lokasi dijadwalkan."],
        "resolutions": [
            "Penanganan darurat telah dilakukan.",
            "Bantuan logistik telah disalurkan.",
        ],
    },
    {
        "code": "kebakaran",
        "label": "kebakaran dan hidran",
        "share": 0.5,
        "season": "dry",
        "route": [("DAMKAR", 1.0)],
        "confuse": ["BPBD"],
        "titles": ["Hidran tidak berfungsi", "Respons damkar lambat", "Lahan sering terbakar"],
        "problems": [
            "Hidran kebakaran tidak berfungsi",
            "Armada pemadam datang terlambat",
            "Lahan kosong sering terbakar",
        ],
        "details": ["Mohon dicek.", "Api sudah membesar.", "Asap mengganggu warga."],
        "info": "layanan pemeriksaan APAR",
        "responses": ["Petugas akan mengecek hidran.", "Laporan dievaluasi oleh pos terkait."],
        "resolutions": ["Hidran telah diperbaiki.", "Evaluasi waktu tanggap telah dilakukan."],
    },
    {
        "code": "kepegawaian",
        "label": "perilaku ASN",
        "share": 1.0,
        "season": "flat",
        "route": [("BKPSDM", 1.0)],
        "confuse": ["INSPEKTORAT"],
        "titles": ["ASN tidak disiplin", "Oknum pegawai bersikap kasar", "Pegawai bolos jam kerja"],
        "problems": [
            "Oknum ASN sering tidak berada di kantor pada jam kerja",
            "Pegawai bersikap kasar kepada warga",
            "Ada pegawai yang berbelanja saat jam kerja",
        ],
        "details": ["Terjadi berulang kali.", "Mohon ditindak.", "Saya memiliki fotonya."],
        "info": "jam kerja pelayanan ASN",
        "responses": [
            "Laporan akan dikonfirmasi ke atasan langsung.",
            "BKPSDM akan melakukan pemanggilan.",
        ],
        "resolutions": [
            "Pegawai yang bersangkutan telah diberi pembinaan.",
            "Telah dijatuhkan hukuman disiplin ringan.",
        ],
    },
    {
        "code": "pembangunan",
        "label": "usulan pembangunan",
        "share": 1.0,
        "season": "flat",
        "route": [("BAPPEDA", 1.0)],
        "confuse": ["DPU", "@kec"],
        "titles": [
            "Usulan pembangunan taman",
            "Usulan jembatan penghubung",
            "Usulan gedung serbaguna",
        ],
        "problems": [
            "Warga mengusulkan pembangunan taman bermain",
            "Warga mengusulkan jembatan penghubung antarkampung",
            "Warga membutuhkan gedung serbaguna",
        ],
        "details": [
            "Sudah diusulkan di musrenbang.",
            "Lahan tersedia.",
            "Akan sangat membantu warga.",
        ],
        "info": "jadwal musrenbang kelurahan",
        "responses": [
            "Usulan dicatat untuk dibahas dalam musrenbang.",
            "Usulan diteruskan ke perangkat daerah teknis.",
        ],
        "resolutions": [
            "Usulan telah masuk daftar prioritas tahun depan.",
            "Usulan telah dibahas dan diinformasikan ke kelurahan.",
        ],
    },
    {
        "code": "fasilitas_umum",
        "label": "taman dan fasilitas umum",
        "share": 1.5,
        "season": "flat",
        "route": [("DISPERKIM", 1.0)],
        "confuse": ["DLH", "BAG-UMUM"],
        "titles": ["Taman kota tidak terawat", "Fasilitas bermain rusak", "Makam tidak terawat"],
        "problems": [
            "Taman kota tidak terawat",
            "Ayunan di taman bermain patah",
            "Area makam umum penuh semak",
        ],
        "details": [
            "Rumput tinggi dan banyak nyamuk.",
            "Berbahaya bagi anak-anak.",
            "Akses peziarah tertutup.",
        ],
        "info": "prosedur peminjaman taman kota",
        "responses": ["Petugas pertamanan akan dijadwalkan.", "Laporan diteruskan ke UPTD."],
        "resolutions": ["Taman telah dibersihkan.", "Fasilitas telah diperbaiki."],
    },
    {
        "code": "informasi_publik",
        "label": "informasi publik dan layanan digital",
        "share": 0.5,
        "season": "flat",
        "route": [("DISKOMINFO", 1.0)],
        "confuse": ["BAG-UMUM"],
        "titles": [
            "Website pemkot tidak bisa diakses",
            "Aplikasi layanan error",
            "Wifi publik mati",
        ],
        "problems": [
            "Website layanan tidak bisa diakses",
            "Aplikasi layanan sering error",
            "Wifi publik di taman mati",
        ],
        "details": ["Sudah dicoba berkali-kali.", "Muncul pesan kesalahan.", "Sejak minggu lalu."],
        "info": "permohonan informasi publik (PPID)",
        "responses": ["Tim teknis sedang menangani.", "Laporan diteruskan ke bidang aplikasi."],
        "resolutions": ["Layanan telah normal kembali.", "Perangkat telah diperbaiki."],
    },
    {
        "code": "produk_hukum",
        "label": "produk hukum daerah",
        "share": 0.3,
        "season": "flat",
        "route": [("BAG-HUKUM", 1.0)],
        "confuse": ["SETDA"],
        "titles": [
            "Salinan perwal sulit didapat",
            "Perda tidak dipublikasikan",
            "Sosialisasi perda kurang",
        ],
        "problems": [
            "Salinan peraturan wali kota sulit didapat",
            "Peraturan daerah terbaru belum dipublikasikan",
            "Sosialisasi perda kepada warga kurang",
        ],
        "details": ["Mohon diunggah ke JDIH.", "Warga bingung aturannya.", "Mohon penjelasan."],
        "info": "salinan peraturan daerah",
        "responses": ["Permintaan dicatat oleh bagian hukum.", "Salinan sedang disiapkan."],
        "resolutions": ["Dokumen telah diunggah ke JDIH.", "Salinan telah dikirim ke pelapor."],
    },
]

OPENINGS = [
    "",
    "Selamat pagi. ",
    "Mohon izin melapor. ",
    "Assalamualaikum. ",
    "Permisi. ",
    "Selamat siang. ",
]
PLEAS = [
    "Mohon segera ditindaklanjuti.",
    "Mohon tindak lanjut dari dinas terkait.",
    "Terima kasih.",
    "Mohon perhatiannya.",
    "Kami tunggu tindakannya.",
]
INFO_PREFIXES = ["Mohon informasi ", "Pertanyaan tentang ", "Informasi "]
WB_DETAILS = [
    "Diminta uang agar berkas cepat selesai.",
    "Petugas meminta imbalan di luar tarif resmi.",
    "Ada calo yang bekerja sama dengan oknum petugas.",
]

NOTE_VERIFIED = "Laporan telah diverifikasi."
NOTE_POSTPONED = [
    "Ditunda: menunggu kelengkapan data dari pelapor.",
    "Ditunda: lokasi kejadian belum jelas, menunggu konfirmasi pelapor.",
]
NOTE_ARCHIVED = [
    "Diarsipkan: isi laporan tidak jelas dan pelapor tidak dapat dihubungi.",
    "Diarsipkan: laporan berisi promosi (spam).",
    "Diarsipkan: bukan pengaduan pelayanan publik.",
]
NOTE_REJECTED = [
    "Ditolak: laporan mengandung unsur SARA.",
    "Ditolak: bukan kewenangan Pemerintah Kota Semarang, silakan menghubungi "
    "instansi vertikal terkait.",
]
NOTE_DUPLICATE = [
    "Diarsipkan: duplikat laporan yang sama melalui kanal lain.",
    "Duplikat, sudah ditangani pada laporan sebelumnya.",
]
NOTE_CLARIFICATION = [
    "Mohon pelapor melengkapi titik lokasi dan foto kondisi terkini.",
    "Mohon pelapor menjelaskan waktu dan lokasi kejadian secara rinci.",
    "Mohon pelapor melampirkan dokumen pendukung.",
]
NOTE_CLARIFIED = [
    "Pelapor telah melengkapi informasi yang diminta.",
    "Pelapor mengirimkan foto dan titik lokasi.",
]
NOTE_REOPENED = [
    "Pelapor menyatakan permasalahan belum selesai.",
    "Pelapor menanggapi: kondisi di lapangan belum berubah.",
]
NOTE_TEMPLATE = ["sudah ditindaklanjuti", "Sudah ditindaklanjuti.", "sudah ditindaklanjuti, trims"]
NOTE_WB_RESPONSE = [
    "Laporan sedang ditelaah oleh Inspektorat.",
    "Inspektorat akan melakukan pemeriksaan khusus.",
]
NOTE_WB_RESOLUTION = [
    "Hasil pemeriksaan telah disampaikan kepada pimpinan perangkat daerah.",
    "Oknum yang bersangkutan telah diproses sesuai ketentuan.",
]
NOTE_INFO_RESPONSE = [
    "Informasi yang diminta telah kami sampaikan melalui balasan ini.",
    "Silakan mengunjungi laman resmi pemkot untuk persyaratan lengkap.",
]

RATING_COMMENTS = {
    "low": [
        "Belum ada perbaikan sama sekali.",
        "Respons lambat.",
        "Hanya dijawab template, masalah belum selesai.",
        "Kecewa.",
    ],
    "mid": ["Cukup, tapi agak lama.", "Sudah ditangani tapi belum tuntas."],
    "high": ["Terima kasih, cepat ditangani.", "Mantap, sudah diperbaiki.", "Pelayanan memuaskan."],
}

# Faulty values used by the fault injector.
BAD_TIMESTAMPS = [
    "31/02/2025 25:61",
    "kemarin",
    None,
    "2025-13-45 10:00:00",
    "2025-02-30 08:15:00",
    "besok pagi",
]
UNKNOWN_UNITS = ["DPU-LAMA", "DINAS-PU", "KEC-SEMARANG-PUSAT", "BAPPEDALITBANG", "UPTD-PARKIR"]
