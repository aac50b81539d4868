//! The OWASP Top 10 (2021 and 2025 editions): category names, the CWE ids mapped to each (the
//! "List of Mapped CWEs" of each category page of OWASP/Top10, also MITRE views 1344 and 1450),
//! and the rule that puts a finding in categories.
//!
//! The rule, in order: categories the tool states itself with a year (Semgrep `metadata.owasp`
//! "A03:2021 - Injection", SARIF tag "OWASP-A03:2021") win; dependency findings go to A06:2021 /
//! A03:2025 whatever the advisory's CWE (that CWE describes the bug inside the library); secrets
//! go to A07; everything else through its CWE ids. A finding may land in several categories; a
//! CWE outside every list is unmapped.

use serde::Serialize;

/// A Top 10 edition.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Edition {
    #[default]
    #[serde(rename = "2021")]
    Y2021,
    #[serde(rename = "2025")]
    Y2025,
}

impl Edition {
    pub fn year(self) -> u16 {
        match self {
            Edition::Y2021 => 2021,
            Edition::Y2025 => 2025,
        }
    }

    pub fn from_year(year: u16) -> Option<Edition> {
        match year {
            2021 => Some(Edition::Y2021),
            2025 => Some(Edition::Y2025),
            _ => None,
        }
    }

    /// The ten category names, A01 first.
    pub fn names(self) -> &'static [&'static str; 10] {
        match self {
            Edition::Y2021 => &NAMES_2021,
            Edition::Y2025 => &NAMES_2025,
        }
    }

    fn cwes(self) -> &'static [&'static [u32]; 10] {
        match self {
            Edition::Y2021 => &CWE_2021,
            Edition::Y2025 => &CWE_2025,
        }
    }

    /// The category of dependency (SCA) findings.
    pub fn dependency_category(self) -> u8 {
        match self {
            Edition::Y2021 => 6,
            Edition::Y2025 => 3,
        }
    }

    /// The category of committed secrets (CWE-798).
    pub fn secret_category(self) -> u8 {
        7
    }

    /// The categories whose CWE list holds `cwe`.
    pub fn categories_of_cwe(self, cwe: u32) -> impl Iterator<Item = u8> {
        self.cwes().iter().enumerate().filter(move |(_, list)| list.contains(&cwe)).map(|(i, _)| i as u8 + 1)
    }

    /// `A03 Injection`.
    pub fn label(self, category: u8) -> String {
        let name = self.names().get(usize::from(category).wrapping_sub(1)).copied().unwrap_or("?");
        format!("A{category:02} {name}")
    }
}

/// A category a tool states itself: `A03:2021`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OwaspRef {
    pub edition: Edition,
    pub category: u8,
}

impl Serialize for OwaspRef {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format!("A{:02}:{}", self.category, self.edition.year()))
    }
}

impl OwaspRef {
    /// Reads `A03:2021 - Injection`, `OWASP-A03:2021 - Injection`, `owasp-a3:2021`. Strings with
    /// no year (`A1: Injection`, a 2017 category) or another edition's year are not read.
    pub fn parse(text: &str) -> Option<OwaspRef> {
        let t = text.trim();
        let lower = t.to_ascii_lowercase();
        let body = lower.strip_prefix("owasp").map(|r| r.trim_start_matches(['-', '_', ' ', ':'])).unwrap_or(&lower);
        let rest = body.strip_prefix('a')?;
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 || digits > 2 {
            return None;
        }
        let category: u8 = rest[..digits].parse().ok()?;
        let after = rest[digits..].strip_prefix(':')?;
        let year_len = after.bytes().take_while(u8::is_ascii_digit).count();
        if year_len != 4 {
            return None;
        }
        let edition = Edition::from_year(after[..year_len].parse().ok()?)?;
        (1..=10).contains(&category).then_some(OwaspRef { edition, category })
    }
}

const NAMES_2021: [&str; 10] = [
    "Broken Access Control",
    "Cryptographic Failures",
    "Injection",
    "Insecure Design",
    "Security Misconfiguration",
    "Vulnerable and Outdated Components",
    "Identification and Authentication Failures",
    "Software and Data Integrity Failures",
    "Security Logging and Monitoring Failures",
    "Server-Side Request Forgery",
];

const NAMES_2025: [&str; 10] = [
    "Broken Access Control",
    "Security Misconfiguration",
    "Software Supply Chain Failures",
    "Cryptographic Failures",
    "Injection",
    "Insecure Design",
    "Authentication Failures",
    "Software or Data Integrity Failures",
    "Security Logging and Alerting Failures",
    "Mishandling of Exceptional Conditions",
];

const CWE_2021: [&[u32]; 10] = [
    &[
        22, 23, 35, 59, 200, 201, 219, 264, 275, 276, 284, 285, 352, 359, 377, 402, 425, 441, 497, 538, 540, 548, 552,
        566, 601, 639, 651, 668, 706, 862, 863, 913, 922, 1275,
    ],
    &[
        259, 261, 296, 310, 319, 321, 322, 323, 324, 325, 326, 327, 328, 329, 330, 331, 335, 336, 337, 338, 340, 347,
        523, 720, 757, 759, 760, 780, 818, 916,
    ],
    &[
        20, 74, 75, 77, 78, 79, 80, 83, 87, 88, 89, 90, 91, 93, 94, 95, 96, 97, 98, 99, 100, 113, 116, 138, 184, 470,
        471, 564, 610, 643, 644, 652, 917,
    ],
    &[
        73, 183, 209, 213, 235, 256, 257, 266, 269, 280, 311, 312, 313, 316, 419, 430, 434, 444, 451, 472, 501, 522,
        525, 539, 579, 598, 602, 642, 646, 650, 653, 656, 657, 799, 807, 840, 841, 927, 1021, 1173,
    ],
    &[2, 11, 13, 15, 16, 260, 315, 520, 526, 537, 541, 547, 611, 614, 756, 776, 942, 1004, 1032, 1174],
    &[937, 1035, 1104],
    &[255, 259, 287, 288, 290, 294, 295, 297, 300, 302, 304, 306, 307, 346, 384, 521, 613, 620, 640, 798, 940, 1216],
    &[345, 353, 426, 494, 502, 565, 784, 829, 830, 915],
    &[117, 223, 532, 778],
    &[918],
];

const CWE_2025: [&[u32]; 10] = [
    &[
        22, 23, 36, 59, 61, 65, 200, 201, 219, 276, 281, 282, 283, 284, 285, 352, 359, 377, 379, 402, 424, 425, 441,
        497, 538, 540, 548, 552, 566, 601, 615, 639, 668, 732, 749, 862, 863, 918, 922, 1275,
    ],
    &[5, 11, 13, 15, 16, 260, 315, 489, 526, 547, 611, 614, 776, 942, 1004, 1174],
    &[447, 1035, 1104, 1329, 1357, 1395],
    &[
        261, 296, 319, 320, 321, 322, 323, 324, 325, 326, 327, 328, 329, 330, 331, 332, 334, 335, 336, 337, 338, 340,
        342, 347, 523, 757, 759, 760, 780, 916, 1240, 1241,
    ],
    &[
        20, 74, 76, 77, 78, 79, 80, 83, 86, 88, 89, 90, 91, 93, 94, 95, 96, 97, 98, 99, 103, 104, 112, 113, 114, 115,
        116, 129, 159, 470, 493, 500, 564, 610, 643, 644, 917,
    ],
    &[
        73, 183, 256, 266, 269, 286, 311, 312, 313, 316, 362, 382, 419, 434, 436, 444, 451, 454, 472, 501, 522, 525,
        539, 598, 602, 628, 642, 646, 653, 656, 657, 676, 693, 799, 807, 841, 1021, 1022, 1125,
    ],
    &[
        258, 259, 287, 288, 289, 290, 291, 293, 294, 295, 297, 298, 299, 300, 302, 303, 304, 305, 306, 307, 308, 309,
        346, 350, 384, 521, 613, 620, 640, 798, 940, 941, 1390, 1391, 1392, 1393,
    ],
    &[345, 353, 426, 427, 494, 502, 506, 509, 565, 784, 829, 830, 915, 926],
    &[117, 221, 223, 532, 778],
    &[
        209, 215, 234, 235, 248, 252, 274, 280, 369, 390, 391, 394, 396, 397, 460, 476, 478, 484, 550, 636, 703, 754,
        755, 756,
    ],
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_have_the_published_sizes() {
        let sizes: Vec<usize> = CWE_2021.iter().map(|l| l.len()).collect();
        assert_eq!(sizes, [34, 30, 33, 40, 20, 3, 22, 10, 4, 1]);
        let sizes: Vec<usize> = CWE_2025.iter().map(|l| l.len()).collect();
        assert_eq!(sizes, [40, 16, 6, 32, 37, 39, 36, 14, 5, 24]);
    }

    #[test]
    fn stated_categories_need_a_year_and_win() {
        assert_eq!(OwaspRef::parse("A03:2021 - Injection"), Some(OwaspRef { edition: Edition::Y2021, category: 3 }));
        assert_eq!(OwaspRef::parse("OWASP-A05:2025 - Injection").map(|r| r.category), Some(5));
        assert_eq!(OwaspRef::parse("A1: Injection"), None);
        assert_eq!(OwaspRef::parse("A01:2017 - Injection"), None);
    }
}
