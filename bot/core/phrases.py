"""Every sentence the conversation says, in one place for review.

One-line texts of the first reply, the erase gate and the other views. Facts follow
../shared/reference/iphone-facts.md; the comment after each text names its keys in
knowledge/sources.yaml. Longer texts (steps, risks, diagnoses) live in knowledge/.
"""

from __future__ import annotations

from bot.core.answer import Family

# Button layouts, the way Apple's pages ask (iphone-facts.md §1: H, V, M families). c6 p11: only the SE 1st gen
# and the 6s or older use Home; p2 p4: the iPhone 7 alone uses Volume Down; p1 p10 p62: the 8 and SE 2nd/3rd gen
# have a Home button but use the modern method.
FAMILY_LABELS: dict[Family, str] = {
    "home": "Home button: iPhone 6s or older, SE 1st gen",
    "volume-down": "iPhone 7 / 7 Plus",
    "modern": "Face ID, iPhone 8, or SE 2nd/3rd gen",
}
# Names for a chosen layout: "Home-button iPhone" would include the iPhone 8 and SE 2nd/3rd gen (p1 p62).
FAMILY_NAMES: dict[Family, str] = {
    "home": "iPhone 6s or older, or SE 1st gen",
    "volume-down": "iPhone 7 / 7 Plus",
    "modern": "iPhone 8 or later",
}
# The one danger of wrong buttons (iphone-facts.md §1, p1): the first reply always shows a warning that names it.
DANGER_WARNING = "Emergency SOS"

# One-line texts. Sources are keys of knowledge/sources.yaml (facts from iphone-facts.md §2-§4).
RISK_UPDATE_NOT_RESTORE = "Don't choose Restore: it erases everything. Update tries to keep your data."  # a5 a4 p15
RISK_LATER_RESTORE = "If it comes to recovery mode, choose Update first: Restore erases everything."  # a5 p15 a4
# Shown on the Restore rungs (recovery and DFU): what a restore does to the data and to the iOS version.
RISK_ERASES = (
    "This erases everything (your data comes back only from a backup) "
    "and installs the newest iOS Apple signs for this model."  # a4 a2
)
# The DFU procedure on its own (/steps dfu_mode): entering DFU erases nothing, the restore it leads to does.
# p16 (DFU leads to a full restore), a4 (erases, newest iOS), a2 (signed versions only).
RISK_DFU = "DFU mode leads to a Restore: it erases everything and installs the newest iOS Apple signs for this model."
RISK_PASSCODE = "Every way of removing a forgotten passcode erases the iPhone."  # p54 p8
# p42 p20 p19: restores fail on damaged phones; a3 p16: DFU is a software tool, it fixes no hardware.
RISK_DAMAGED = "Don't restore or DFU a damaged phone: a restore fixes no hardware and can fail on a damaged phone."
RISK_FORCE_RESTART = "A force restart erases nothing."  # a6 p27
# The modern family (8 and later, SE 2nd/3rd gen): the iPhone 7 habit starts Emergency SOS, a siren, then a call (p1).
# "First": the modern DFU steps do hold both, after the two taps and a 10 s Side hold (p1 c6).
RISK_SOS = "Holding Side and Volume Down together first starts Emergency SOS: if it appears, let go at once."  # p1
HOME_NOT_USED = "Its Home button is not used in these steps."  # p1 p10 p62 c6
BACKUP_LINE = "Back up now if it still turns on: once it is in recovery mode, you can't."  # a3 p36 p54
# For a phone already in recovery mode: "back up now" would be impossible advice.
BACKUP_IN_RECOVERY = (
    "No backup can be made while it is in recovery or DFU mode: only Update tries to keep your data."  # a3 p36 a5
)
# A precaution, like actions.yaml's repair label: the fact sheet has no source for the erase or swap itself;
# p33 p34 cover the Apple ID needed after any erase.
BACKUP_REPAIR = "If it still works, back it up before the repair: a repair may erase or replace the phone."
GATE_NOTICE = "Stop before this step:"
GATE_LINES = (
    "It erases everything on the iPhone: photos, messages, apps.",  # a4
    "No backup can be made once the phone is in recovery or DFU mode.",  # a3 p36 p54
    # p33 p34
    "Afterwards it asks for the Apple ID and password it was set up with (Activation Lock), if Find My was on.",
)
# Before DFU when Update was not tried (a how-to "put it in DFU"): least destructive first (a5 a3 p16).
GATE_DFU_LAST = "DFU is the last software step: recovery mode's Update tries to keep your data, so try it first."
GATE_NEWEST_IOS = "A restore installs the newest iOS Apple signs for this model: you can't pick an older one."  # a2 a4
# The passcode reset's way without a computer, before the computer steps (fact sheet §4: iOS 15.2+, p8 p57).
PASSCODE_NO_COMPUTER = (
    "No computer? On iOS 15.2 or later with Wi-Fi or mobile data, tap Erase iPhone on the lock screen "
    "and enter the Apple ID password. Otherwise:"  # p8 p57
)
NO_BACKUP_NOTICE = "Without a backup, what an erase removes is gone. Your options:"
NO_BACKUP_IF_IT_STARTS = (
    "If it still turns on and you can unlock it: back it up now (iCloud or a computer), then continue."  # p36 p54
)
# The original iPhone and the 3G have no iCloud Backup (issue 9; models.yaml icloud_backup: false).
NO_BACKUP_IF_IT_STARTS_NO_ICLOUD = (
    "If it still turns on and you can unlock it: back it up now with a computer, then continue."  # p36 p54
)
NO_BACKUP_TRY_UPDATE = "You haven't tried recovery mode with Update yet: it tries to keep your data."  # a5
TRY_UPDATE = "Try Update first"  # the offer that goes back to the Update rung (a5)
NO_BACKUP_REPAIR = "Or have it checked by Apple or an authorised repair provider before erasing anything."  # a5
# A locked phone: no backup while locked, and every way out erases (p54 p8). The "previous passcode" grace after
# a change (p56) is UNVERIFIED, so it is not offered here.
NO_BACKUP_LOCKED = ("A locked iPhone can't be backed up, and every way of removing a forgotten passcode erases it.",)
# An error number's usual meaning (fact sheet §3: "treat meanings as usually; codes overlap"); errors.yaml cites it.
ERROR_MEANING = "Error {code} usually means: {meaning}"
ERROR_NO_MEANING = "Error {code}: {meaning}"
DAMAGE_DIAGNOSIS = "Possible damage or a broken part: it needs a repair check, not a restore."  # p41 p42
GENERAL_DIAGNOSIS = "Not sure exactly what is wrong, so the safest steps come first."
NOT_ALLOWED = (
    "Only the person who asked, or this chat's helpers, can use these buttons. "
    "Ask your own question to get steps for your phone."
)
NOT_SAVED = "Sorry: I couldn't save that, so nothing was recorded. Please press the button again in a moment."
SOLVED_NOTICE = "Solved: {step}. Thanks for letting us know!"
HANDOFF_NOTICE = "Over to a person: here is what a helper needs to know."
LAST_STEP_NOTICE = "That was the last step I can offer. A helper or a repair provider is the next step."
ASK_FAMILY_LINES = ("Which buttons does it have? That decides the steps.", 'Or type the model, e.g. "iPhone 12".')
UNCONFIRMED = "The button steps for this model are not confirmed yet."
DIDNT_CATCH = 'I didn\'t catch the model. Pick the buttons it has, or type e.g. "iPhone 12".'
