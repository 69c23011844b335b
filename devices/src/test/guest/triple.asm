; Test guest: a triple fault. With an empty IDT, INT3 cannot be delivered (#GP), nor can the
; #GP (#DF), nor the #DF: the CPU shuts down (SDM vol. 3, 6.15, interrupt 8). Prints one line
; first. Flat multiboot image; build: nasm -f bin triple.asm

        bits 32
        org 0x100000

MB_MAGIC        equ 0x1BADB002
MB_FLAGS        equ 0x00010000

start:  jmp     entry
        align 4
header: dd      MB_MAGIC, MB_FLAGS, -(MB_MAGIC + MB_FLAGS)
        dd      header, start, image_end, image_end, entry

%include "lib.inc"

entry:
        mov     esp, 0x90000
        PRINT   msg
        lidt    [empty_idt]
        int3
        PRINT   msg_survived
        EXIT    1

empty_idt:
        dw      0
        dd      0
msg:    db "shutting down", 10, 0
msg_survived: db "still running", 10, 0
        align 4
image_end:
