import GRDB
import Yams
