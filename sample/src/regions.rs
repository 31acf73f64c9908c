//! The geography the sample territory lives in: real cities and wards of 神奈川県, grouped into sales regions.

/// Every institution is in this prefecture.
pub(crate) const PREFECTURE: &str = "神奈川県";

/// A city or ward: its name, the centre (about its office; lat, lon) institutions scatter around, and towns.
pub(crate) struct Area {
    pub(crate) city: &'static str,
    /// Empty for a city without wards.
    pub(crate) ward: &'static str,
    pub(crate) lat: f64,
    pub(crate) lon: f64,
    pub(crate) towns: [&'static str; 5],
}

const fn area(city: &'static str, ward: &'static str, lat: f64, lon: f64, towns: [&'static str; 5]) -> Area {
    Area {
        city,
        ward,
        lat,
        lon,
        towns,
    }
}

/// Sales regions of neighbouring areas: one rep covers one region.
#[rustfmt::skip]
pub(crate) const REGIONS: [&[Area]; 6] = [
    &[
        area("横浜市", "港北区", 35.5196, 139.6330, ["新横浜", "大倉山", "日吉", "綱島西", "菊名"]),
        area("横浜市", "都筑区", 35.5449, 139.5707, ["中川中央", "茅ケ崎中央", "北山田", "仲町台", "荏田南"]),
        area("横浜市", "青葉区", 35.5527, 139.5371, ["青葉台", "美しが丘", "藤が丘", "あざみ野", "荏田西"]),
        area("横浜市", "神奈川区", 35.4767, 139.6297, ["鶴屋町", "反町", "東神奈川", "六角橋", "片倉"]),
        area("横浜市", "鶴見区", 35.5083, 139.6823, ["鶴見中央", "豊岡町", "市場上町", "生麦", "矢向"]),
    ],
    &[
        area("川崎市", "川崎区", 35.5308, 139.7030, ["砂子", "駅前本町", "小川町", "宮前町", "大師町"]),
        area("川崎市", "幸区", 35.5440, 139.6855, ["大宮町", "南幸町", "鹿島田", "戸手本町", "小倉"]),
        area("川崎市", "中原区", 35.5762, 139.6594, ["小杉町", "新丸子町", "上小田中", "木月", "今井南町"]),
        area("川崎市", "高津区", 35.5993, 139.6100, ["溝口", "久本", "二子", "末長", "千年"]),
        area("川崎市", "宮前区", 35.5862, 139.5830, ["宮前平", "鷺沼", "有馬", "野川", "犬蔵"]),
    ],
    &[
        area("横浜市", "西区", 35.4537, 139.6169, ["南幸", "北幸", "みなとみらい", "高島", "藤棚町"]),
        area("横浜市", "中区", 35.4443, 139.6425, ["山下町", "本町", "元町", "日本大通", "伊勢佐木町"]),
        area("横浜市", "南区", 35.4312, 139.6093, ["浦舟町", "弘明寺町", "六ツ川", "永田東", "中里"]),
        area("横浜市", "保土ケ谷区", 35.4604, 139.5963, ["天王町", "星川", "岩井町", "和田", "峰沢町"]),
        area("横浜市", "港南区", 35.4009, 139.5910, ["上大岡西", "港南台", "丸山台", "日野", "最戸"]),
    ],
    &[
        area("藤沢市", "", 35.3387, 139.4899, ["藤沢", "鵠沼石上", "辻堂神台", "湘南台", "本町"]),
        area("茅ヶ崎市", "", 35.3339, 139.4040, ["新栄町", "元町", "東海岸北", "円蔵", "浜竹"]),
        area("鎌倉市", "", 35.3192, 139.5467, ["御成町", "小町", "大船", "由比ガ浜", "腰越"]),
        area("平塚市", "", 35.3274, 139.3500, ["紅谷町", "明石町", "浅間町", "八重咲町", "宝町"]),
    ],
    &[
        area("相模原市", "中央区", 35.5714, 139.3733, ["中央", "相模原", "富士見", "淵野辺", "清新"]),
        area("厚木市", "", 35.4430, 139.3622, ["中町", "旭町", "泉町", "水引", "松枝"]),
        area("大和市", "", 35.4874, 139.4580, ["大和南", "中央", "深見西", "南林間", "鶴間"]),
        area("海老名市", "", 35.4467, 139.3908, ["中央", "さつき町", "国分南", "上郷", "大谷北"]),
    ],
    &[
        area("横須賀市", "", 35.2813, 139.6722, ["米が浜通", "小川町", "日の出町", "汐入町", "大滝町"]),
        area("逗子市", "", 35.2956, 139.5780, ["逗子", "桜山", "新宿", "沼間", "久木"]),
        area("三浦市", "", 35.1442, 139.6206, ["三崎", "城山町", "初声町", "南下浦町", "晴海町"]),
    ],
];

/// The city or ward name without its 市/区 suffix: 港北, 藤沢.
pub(crate) fn short(area: &Area) -> String {
    let place = if area.ward.is_empty() {
        area.city
    } else {
        area.ward
    };
    let mut chars: Vec<char> = place.chars().collect();
    chars.pop();
    chars.into_iter().collect()
}
