//! English inflection for `word~` in rule patterns: a verb's (or noun's)
//! forms, with the irregular verbs that wire news uses.

/// Irregular verbs: base, past, past participle.
#[rustfmt::skip]
const IRREGULAR: &[(&str, &str, &str)] = &[
    ("arise", "arose", "arisen"), ("be", "was", "been"), ("bear", "bore", "borne"),
    ("beat", "beat", "beaten"), ("become", "became", "become"),
    ("begin", "began", "begun"), ("bid", "bid", "bid"), ("bind", "bound", "bound"),
    ("bite", "bit", "bitten"), ("blow", "blew", "blown"), ("break", "broke", "broken"),
    ("bring", "brought", "brought"), ("build", "built", "built"),
    ("burn", "burnt", "burnt"), ("buy", "bought", "bought"), ("cast", "cast", "cast"),
    ("catch", "caught", "caught"), ("choose", "chose", "chosen"),
    ("come", "came", "come"), ("cost", "cost", "cost"), ("cut", "cut", "cut"),
    ("deal", "dealt", "dealt"), ("do", "did", "done"), ("draw", "drew", "drawn"),
    ("drive", "drove", "driven"), ("eat", "ate", "eaten"), ("fall", "fell", "fallen"),
    ("feed", "fed", "fed"), ("feel", "felt", "felt"), ("fight", "fought", "fought"),
    ("find", "found", "found"), ("flee", "fled", "fled"), ("fly", "flew", "flown"),
    ("forbid", "forbade", "forbidden"), ("forecast", "forecast", "forecast"),
    ("foresee", "foresaw", "foreseen"), ("forgive", "forgave", "forgiven"),
    ("freeze", "froze", "frozen"), ("get", "got", "gotten"), ("give", "gave", "given"),
    ("go", "went", "gone"), ("grow", "grew", "grown"), ("hang", "hung", "hung"),
    ("have", "had", "had"), ("hear", "heard", "heard"), ("hide", "hid", "hidden"),
    ("hit", "hit", "hit"), ("hold", "held", "held"), ("hurt", "hurt", "hurt"),
    ("keep", "kept", "kept"), ("know", "knew", "known"), ("lay", "laid", "laid"),
    ("lead", "led", "led"), ("leave", "left", "left"), ("lend", "lent", "lent"),
    ("let", "let", "let"), ("lose", "lost", "lost"), ("make", "made", "made"),
    ("mean", "meant", "meant"), ("meet", "met", "met"), ("mislead", "misled", "misled"),
    ("overcome", "overcame", "overcome"), ("overrun", "overran", "overrun"),
    ("overthrow", "overthrew", "overthrown"), ("pay", "paid", "paid"),
    ("put", "put", "put"), ("quit", "quit", "quit"), ("read", "read", "read"),
    ("rebuild", "rebuilt", "rebuilt"), ("ride", "rode", "ridden"),
    ("rise", "rose", "risen"), ("run", "ran", "run"), ("say", "said", "said"),
    ("see", "saw", "seen"), ("seek", "sought", "sought"), ("sell", "sold", "sold"),
    ("send", "sent", "sent"), ("set", "set", "set"), ("shake", "shook", "shaken"),
    ("shoot", "shot", "shot"), ("shut", "shut", "shut"), ("sign", "signed", "signed"),
    ("sink", "sank", "sunk"), ("sit", "sat", "sat"), ("slay", "slew", "slain"),
    ("speak", "spoke", "spoken"), ("spend", "spent", "spent"),
    ("split", "split", "split"), ("spread", "spread", "spread"),
    ("stand", "stood", "stood"), ("steal", "stole", "stolen"),
    ("stick", "stuck", "stuck"), ("strike", "struck", "struck"),
    ("swear", "swore", "sworn"), ("take", "took", "taken"), ("teach", "taught", "taught"),
    ("tear", "tore", "torn"), ("tell", "told", "told"), ("think", "thought", "thought"),
    ("throw", "threw", "thrown"), ("undergo", "underwent", "undergone"),
    ("understand", "understood", "understood"), ("undertake", "undertook", "undertaken"),
    ("uphold", "upheld", "upheld"), ("upset", "upset", "upset"),
    ("wage", "waged", "waged"), ("wear", "wore", "worn"), ("win", "won", "won"),
    ("withdraw", "withdrew", "withdrawn"), ("withhold", "withheld", "withheld"),
    ("write", "wrote", "written"),
];

fn is_vowel(c: u8) -> bool {
    matches!(c, b'a' | b'e' | b'i' | b'o' | b'u')
}

/// Verbs of two syllables stressed on the last, which double their final
/// consonant like one-syllable verbs do (`committed`, `controlled`).
#[rustfmt::skip]
const STRESS_FINAL: &[&str] = &[
    "abet", "acquit", "admit", "commit", "compel", "concur", "confer",
    "control", "defer", "deter", "embed", "emit", "equip", "excel", "expel",
    "forget", "incur", "kidnap", "occur", "omit", "patrol", "permit",
    "prefer", "propel", "rebel", "rebut", "recur", "refer", "regret",
    "repel", "submit", "transfer", "transmit", "upset",
];

/// Whether the final consonant doubles before -ed/-ing (`plan`, `ban`,
/// `stop`): one syllable ending consonant-vowel-consonant.
fn doubles(w: &str) -> bool {
    if STRESS_FINAL.contains(&w) {
        return true;
    }
    let b = w.as_bytes();
    let n = b.len();
    if n < 3 || !b.is_ascii() {
        return false;
    }
    let (c1, v, c2) = (b[n - 3], b[n - 2], b[n - 1]);
    let vowels = b.iter().filter(|&&c| is_vowel(c)).count();
    vowels == 1
        && !is_vowel(c1)
        && is_vowel(v)
        && !is_vowel(c2)
        && !matches!(c2, b'w' | b'x' | b'y')
}

/// The past participle of a verb (`invade` → `invaded`, `take` → `taken`).
pub(crate) fn participle(base: &str) -> String {
    if let Some(&(_, _, pp)) = IRREGULAR.iter().find(|(b, _, _)| *b == base) {
        return pp.to_string();
    }
    regular_ed(base)
}

fn regular_ed(w: &str) -> String {
    if w.ends_with('e') {
        format!("{w}d")
    } else if let Some(stem) = consonant_y(w) {
        format!("{stem}ied")
    } else if doubles(w) {
        format!("{w}{}ed", &w[w.len() - 1..])
    } else {
        format!("{w}ed")
    }
}

/// `w` without its final `y` when a consonant precedes it (`rally`).
fn consonant_y(w: &str) -> Option<&str> {
    let b = w.as_bytes();
    let n = b.len();
    (n >= 2 && b[n - 1] == b'y' && !is_vowel(b[n - 2])).then(|| &w[..n - 1])
}

/// All forms of `base` (lowercase): base, third person / plural, past,
/// past participle, present participle.
///
/// `pledge` → pledge, pledges, pledged, pledging; `meet` → meet, meets,
/// met, meeting; `rally` → rally, rallies, rallied, rallying.
pub(crate) fn forms(base: &str) -> Vec<String> {
    let mut out = vec![base.to_string()];
    // -s
    let s = if let Some(stem) = consonant_y(base) {
        format!("{stem}ies")
    } else if base.ends_with(['s', 'x', 'z'])
        || base.ends_with("ch")
        || base.ends_with("sh")
    {
        format!("{base}es")
    } else {
        format!("{base}s")
    };
    out.push(s);
    match IRREGULAR.iter().find(|(b, _, _)| *b == base) {
        Some(&(_, past, pp)) => {
            out.push(past.to_string());
            out.push(pp.to_string());
            if base == "be" {
                out.extend(["is", "are", "were", "am"].map(String::from));
            }
        }
        None => out.push(regular_ed(base)),
    }
    // -ing
    let ing = if let Some(stem) = base.strip_suffix("ie") {
        format!("{stem}ying")
    } else if base.ends_with('e') && !base.ends_with("ee") && base.len() > 2 {
        format!("{}ing", &base[..base.len() - 1])
    } else if doubles(base) {
        format!("{base}{}ing", &base[base.len() - 1..])
    } else {
        format!("{base}ing")
    };
    out.push(ing);
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inflection_table() {
        let cases: &[(&str, &[&str])] = &[
            ("pledge", &["pledge", "pledged", "pledges", "pledging"]),
            ("meet", &["meet", "meeting", "meets", "met"]),
            ("rally", &["rallied", "rallies", "rally", "rallying"]),
            ("ban", &["ban", "banned", "banning", "bans"]),
            (
                "withdraw",
                &[
                    "withdraw",
                    "withdrawing",
                    "withdrawn",
                    "withdraws",
                    "withdrew",
                ],
            ),
            ("accuse", &["accuse", "accused", "accuses", "accusing"]),
            ("attack", &["attack", "attacked", "attacking", "attacks"]),
            ("seek", &["seek", "seeking", "seeks", "sought"]),
            ("push", &["push", "pushed", "pushes", "pushing"]),
            ("visit", &["visit", "visited", "visiting", "visits"]),
            ("agree", &["agree", "agreed", "agreeing", "agrees"]),
            ("commit", &["commit", "commits", "committed", "committing"]),
            ("patrol", &["patrol", "patrolled", "patrolling", "patrols"]),
        ];
        for (base, want) in cases {
            assert_eq!(&forms(base), want, "{base}");
        }
        assert_eq!(participle("invade"), "invaded");
        assert_eq!(participle("take"), "taken");
        assert_eq!(participle("ban"), "banned");
    }
}
