from oms.exceptions import DomainError, InvalidInput


class OutOfStock(DomainError):
    code = "out_of_stock"

    def __init__(self, message: str, *, short: dict[str, int]):
        super().__init__(message)
        self.short = short


class InvalidStockChange(InvalidInput):
    code = "invalid_stock_change"
