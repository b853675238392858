import CLibsecret
import ZenDo
