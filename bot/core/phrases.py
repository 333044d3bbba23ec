"""Every sentence the conversation says, in one place for review.

One-line texts of the first reply, the erase gate and the other views. Facts follow
../shared/reference/iphone-facts.md; the comment after each text names its keys in
knowledge/sources.yaml. Longer texts (steps, risks, diagnoses) live in knowledge/.
"""

from __future__ import annotations

from bot.core.answer import Family

# Button layouts, the way Apple's pages ask (iphone-facts.md §1: H, V, M families).
FAMILY_LABELS: dict[Family, str] = {
    "home": "Home button: iPhone 6s or older, SE 1st gen",
    "volume-down": "iPhone 7 / 7 Plus",
    "modern": "Face ID, iPhone 8, or SE 2nd/3rd gen",
}
FAMILY_NAMES: dict[Family, str] = {
    "home": "Home-button iPhone",
    "volume-down": "iPhone 7 / 7 Plus",
    "modern": "iPhone 8 or later",
}
# The one danger of wrong buttons (iphone-facts.md §1, p1): the first reply always shows a warning that names it.
DANGER_WARNING = "Emergency SOS"

# One-line texts. Sources are keys of knowledge/sources.yaml (facts from iphone-facts.md §3).
RISK_UPDATE_NOT_RESTORE = "Don't choose Restore: it erases everything. Update tries to keep your data."  # a5 p15
RISK_LATER_RESTORE = "If it comes to recovery mode, choose Update first: Restore erases everything."  # a5 p15 a4
RISK_ERASES = "This step erases everything on the iPhone: your data comes back only from a backup."  # a4
RISK_PASSCODE = "Every way of removing a forgotten passcode erases the iPhone."  # p8 p57
RISK_DAMAGED = "Don't restore or DFU a damaged phone: the restore can fail and leave it unusable."  # p41 p42
RISK_FORCE_RESTART = "A force restart erases nothing."  # a6 p27
RISK_SOS = "Don't hold Side and Volume Down together: on this iPhone that starts Emergency SOS."  # p1
BACKUP_LINE = "Back up now if it still turns on: once it is in recovery mode, you can't."  # a3 p36 p54
BACKUP_REPAIR = "If it still works, back it up before the repair: a repair may erase or replace the phone."  # a5
GATE_NOTICE = "Stop before this step:"
GATE_LINES = (
    "It erases everything on the iPhone: photos, messages, apps.",  # a4
    "No backup can be made once the phone is in recovery or DFU mode.",  # a3 p36 p54
    "Afterwards you need the Apple ID and password it was set up with.",  # p33 p34
)
NO_BACKUP_NOTICE = "Without a backup, what an erase removes is gone. Your options:"
NO_BACKUP_IF_IT_STARTS = (
    "If it still turns on and you can unlock it: back it up now (iCloud or a computer), then continue."  # p36
)
NO_BACKUP_TRY_UPDATE = "You haven't tried recovery mode with Update yet: it tries to keep your data."  # a5
NO_BACKUP_REPAIR = "Or have it checked by Apple or an authorised repair provider before erasing anything."  # a5
NO_BACKUP_LOCKED = (
    "A locked iPhone can't be backed up, and every way of removing a forgotten passcode erases it.",  # p54 p8 p57
    "If it shows a timer, you can wait and try a passcode you may have used: each wrong try locks it longer.",  # p8
)
DAMAGE_DIAGNOSIS = "Possible physical or liquid damage: it needs a repair check, not a restore."  # p41 p42
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
